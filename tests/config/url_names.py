"""Every URL name and the path pattern it resolves to, flattened from the URLconf."""

from django.urls import URLPattern, URLResolver, get_resolver


def url_names() -> dict[str, str]:
    """`namespace:name` -> the route as written, with its parameters (`cases/<str:reference>/`)."""
    names: dict[str, str] = {}

    def walk(patterns, prefix: str, namespace: str) -> None:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, route, inner)
            elif isinstance(entry, URLPattern) and entry.name:
                names.setdefault(namespace + entry.name, route)

    walk(get_resolver().url_patterns, "/", "")
    # The admin's own pages follow the models registered with it; only where it is mounted is ours.
    return {name: route for name, route in names.items()
            if not name.startswith("admin:") or name == "admin:index"}
