"""The API's routers, one module per area; each route is a thin call into citegraph."""
