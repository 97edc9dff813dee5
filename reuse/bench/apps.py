from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Installed only so that Django finds the `bench*` commands; it has no models."""

    name = "reuse.bench"
    label = "bench"
    verbose_name = "Benchmarks"
