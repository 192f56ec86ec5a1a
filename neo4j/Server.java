// A real Neo4j (community edition, the version pinned in neo4j/pom.xml) with a Bolt
// connector, for tests, started from the Maven Central jars without Docker.
//
// Usage (Java 11+ source-file mode):
//   java -cp '.cache/neo4j/lib/*' neo4j/Server.java PORT DATADIR [--exit-on-stdin-close]
//
// PORT 0 picks a free port. DATADIR holds the store, and survives a restart: starting
// again on the same DATADIR opens the same database. Auth is disabled (connect without
// credentials); Bolt listens on 127.0.0.1 only, unencrypted. Once Bolt accepts
// connections, one line is printed on stdout:
//   READY bolt://127.0.0.1:PORT
// The server shuts down cleanly on SIGTERM/SIGINT and, with --exit-on-stdin-close,
// when its stdin reaches end of file (so it dies with the process that started it).
// Memory knobs: NEO4J_TEST_PAGECACHE_MB (default 64), NEO4J_TEST_TX_MAX_MB (default 256, all
// transactions together), NEO4J_TEST_TX_ONE_MB (default 128, one transaction).
//
// Hardened as a deployment must be (docker-compose.yml sets the same): LOAD CSV cannot read
// local files (file URLs refused, their root an empty directory), only the procedures in
// PROCEDURE_ALLOWLIST are loaded (none unrestricted), and one transaction may use at most
// NEO4J_TEST_TX_ONE_MB of heap, so a query building a huge string fails alone instead of
// running the server out of memory.

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.internal.helpers.HostnamePort;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

public final class Server {
    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    /** The procedures citegraph and its read-only Cypher use; everything else is not loaded. */
    static final List<String> PROCEDURE_ALLOWLIST = List.of(
            "db.labels", "db.relationshipTypes", "db.propertyKeys", "db.schema.*",
            "db.index.fulltext.queryNodes", "db.index.fulltext.queryRelationships",
            "db.awaitIndex", "db.awaitIndexes", "dbms.components");

    private Server() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Server PORT DATADIR [--exit-on-stdin-close]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Path dataDir = Path.of(args[1]).toAbsolutePath();
        boolean exitOnStdinClose = args.length > 2 && args[2].equals("--exit-on-stdin-close");
        Files.createDirectories(dataDir);

        long started = System.nanoTime();
        DatabaseManagementService dbms = build(port, dataDir);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(dbms, stopped), "neo4j-stop"));

        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (!db.isAvailable(START_TIMEOUT.toMillis())) {
            System.err.println("neo4j: default database did not become available");
            System.exit(1);
        }
        int boltPort = boltPort(db);
        waitForBolt(boltPort);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.err.println("neo4j: " + org.neo4j.kernel.internal.Version.getNeo4jVersion()
                + " started in " + millis + " ms, data in " + dataDir);
        System.out.println("READY bolt://" + HOST + ":" + boltPort);
        System.out.flush();

        if (exitOnStdinClose) {
            startStdinWatcher();
        }
        stopped.await();
    }

    private static DatabaseManagementService build(int port, Path dataDir) {
        return new DatabaseManagementServiceBuilder(dataDir)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(HOST, port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory,
                        ByteUnit.mebiBytes(envInt("NEO4J_TEST_PAGECACHE_MB", 64)))
                .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size,
                        ByteUnit.mebiBytes(envInt("NEO4J_TEST_TX_MAX_MB", 256)))
                .setConfig(GraphDatabaseSettings.memory_transaction_max_size,
                        ByteUnit.mebiBytes(envInt("NEO4J_TEST_TX_ONE_MB", 128)))
                .setConfig(GraphDatabaseSettings.allow_file_urls, false)
                .setConfig(GraphDatabaseSettings.load_csv_file_url_root, emptyImportDir(dataDir))
                .setConfig(GraphDatabaseSettings.procedure_allowlist, PROCEDURE_ALLOWLIST)
                .setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of())
                // Small, not preallocated transaction logs: a fresh store is ~5 MB, not ~500 MB.
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.preallocate_store_files, false)
                .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, ByteUnit.mebiBytes(16))
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "false")
                // Netty's default graceful shutdown (2 s quiet period, up to 15 s) makes
                // every stop take ~10 s; tests stop and restart the server, so keep it short.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(2))
                .build();
    }

    private static Path emptyImportDir(Path dataDir) {
        Path dir = dataDir.resolve("import-disabled");
        try {
            Files.createDirectories(dir);
        } catch (IOException exc) {
            throw new IllegalStateException("cannot create " + dir, exc);
        }
        return dir;
    }

    private static int boltPort(GraphDatabaseService db) {
        ConnectorPortRegister ports = ((GraphDatabaseAPI) db).getDependencyResolver()
                .resolveDependency(ConnectorPortRegister.class);
        HostnamePort address = ports.getLocalAddress(ConnectorType.BOLT);
        if (address == null) {
            throw new IllegalStateException("Bolt connector is not listening");
        }
        return address.getPort();
    }

    private static void waitForBolt(int port) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(HOST, port), 1000);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("Bolt port " + port + " never accepted connections");
    }

    private static void startStdinWatcher() {
        Thread watcher = new Thread(() -> {
            try (InputStream in = System.in) {
                byte[] buffer = new byte[256];
                while (in.read(buffer) != -1) {
                    // Ignore input; only end of file matters.
                }
            } catch (IOException ignored) {
                // A broken stdin means the parent is gone, same as end of file.
            }
            System.err.println("neo4j: stdin closed, shutting down");
            System.exit(0);
        }, "neo4j-stdin-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void shutdown(DatabaseManagementService dbms, CountDownLatch stopped) {
        try {
            dbms.shutdown();
            System.err.println("neo4j: stopped");
        } finally {
            stopped.countDown();
        }
    }

    private static int envInt(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }
}
