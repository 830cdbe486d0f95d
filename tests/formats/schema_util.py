"""JSON Schema validators for the shell tests and benchmarks, working with
both python3-jsonschema as Debian 12 ships it (4.10: RefResolver) and newer
releases (4.18+: the referencing registry)."""
import jsonschema


def validator(schema, extra=None, formats=False):
    """A validator for `schema`; `extra` maps URLs to schemas it references
    (the FIRST CVSS schemas are Draft 7)."""
    extra = extra or {}
    cls = jsonschema.validators.validator_for(schema)
    kw = {"format_checker": cls.FORMAT_CHECKER} if formats else {}
    try:
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT7
    except ImportError:
        resolver = jsonschema.RefResolver.from_schema(schema, store=dict(extra))
        return cls(schema, resolver=resolver, **kw)
    reg = Registry()
    for url, s in extra.items():
        reg = reg.with_resource(url, Resource.from_contents(s, default_specification=DRAFT7))
    return cls(schema, registry=reg, **kw)
