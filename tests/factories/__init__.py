"""One factory_boy factory per model, grouped by the app that owns the model; traits give the variants.

Import from the module of the app: `from tests.factories.inventory import DeviceFactory`. Helpers that build a
situation rather than a row (an eligible household, a referrer with a mandate) sit beside the factories they use.
"""
