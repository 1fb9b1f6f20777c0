"""The stock templates shipped in ``resources/labels/templates``: ``udi-unit``, ``udi-case``,
``sscc-pallet`` and ``goods-in``.

>>> sorted(stock_templates())
['goods-in', 'sscc-pallet', 'udi-case', 'udi-unit']
>>> stock_template("udi-unit").required
('gtin', 'expiry', 'lot', 'product_name_zh', 'product_name_en')
"""

from __future__ import annotations

import functools

from station.labels.template import LabelTemplate, TemplateError, load_template
from station.resources import resource_path

__all__ = ["STOCK_NAMES", "stock_template", "stock_templates"]

STOCK_NAMES = ("udi-unit", "udi-case", "sscc-pallet", "goods-in")


@functools.cache
def stock_templates() -> dict[str, LabelTemplate]:
    """Every shipped template by name, each loaded and checked once per process."""
    folder = resource_path("labels", "templates")
    templates = {}
    for path in sorted(folder.glob("*.toml")):
        template = load_template(path)
        if template.name != path.stem:
            msg = f"{path.name}: the template is named {template.name!r}, not {path.stem!r}"
            raise TemplateError(msg)
        templates[template.name] = template
    return templates


def stock_template(name: str) -> LabelTemplate:
    """A shipped template by name; the error lists the names there are."""
    templates = stock_templates()
    if name not in templates:
        msg = f"no label template {name!r} (there are: {', '.join(sorted(templates))})"
        raise TemplateError(msg)
    return templates[name]
