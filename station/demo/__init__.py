"""A deterministic synthetic factory for demos and benchmarks, written only through the services.

:func:`station.demo.factory.build_demo` fills an empty store; :mod:`station.demo.catalogue`
holds its master data; :mod:`station.demo.clock` the injected clock that makes it repeatable.
"""
