"""The demo factory's master data: products, suppliers, customers, orders, inspection plans.

Codes carry valid GS1 check digits (GTIN, GLN) because the services validate scans and SSCCs
exactly as they would for real labels. The company prefix 6901234 is in GS1 China's range.
"""

from __future__ import annotations

from dataclasses import dataclass

from station.udi.checks import gs1_check_digit

__all__ = [
    "CUSTOMERS",
    "DEVICES",
    "MATERIALS",
    "SUPPLIERS",
    "DemoProduct",
    "Party",
    "master_data_csv",
    "sscc",
]

COMPANY_PREFIX = "6901234"


def _with_check(digits: str) -> str:
    return digits + str(gs1_check_digit(digits))


def gtin(item_reference: int) -> str:
    """GTIN-14 (indicator 0) of ``item_reference`` under the demo company prefix."""
    return _with_check(f"0{COMPANY_PREFIX}{item_reference:05d}")


def gln(location_reference: int) -> str:
    return _with_check(f"{COMPANY_PREFIX}{location_reference:05d}")


def sscc(serial_reference: int) -> str:
    """An 18-digit SSCC: extension digit 3, company prefix, 9-digit reference, check digit."""
    return _with_check(f"3{COMPANY_PREFIX}{serial_reference:09d}")


@dataclass(frozen=True, slots=True)
class DemoProduct:
    gtin: str
    name_zh: str
    name_en: str
    registration_no: str = ""
    device_class: str = ""
    supplier: str = ""  # materials: the supplier code that delivers it


@dataclass(frozen=True, slots=True)
class Party:
    code: str
    name: str
    gln: str
    kind: str = "customer"
    qualification: str = "qualified"  # suppliers only


SUPPLIERS = (
    Party("SUP-PT", "Shanghai Polymer Tubing Co. 上海聚合物管材", gln(101)),
    Party("SUP-CN", "Suzhou Connector Works 苏州连接件", gln(102)),
    Party("SUP-FL", "Ningbo Filter Media 宁波滤材", "", qualification="conditional"),
    Party("SUP-XX", "Dongguan Cheap Plastics 东莞廉价塑料", "", qualification="disqualified"),
)
MATERIALS = (
    DemoProduct(gtin(1), "医用PVC导管", "Medical PVC tubing", supplier="SUP-PT"),
    DemoProduct(gtin(2), "鲁尔接头", "Luer connector", supplier="SUP-CN"),
    DemoProduct(gtin(3), "药液过滤器", "Infusion filter", supplier="SUP-FL"),
)
DEVICES = (
    DemoProduct(
        gtin(11), "一次性使用输液器", "Single-use infusion set", "国械注准20233141234", "II"
    ),
    DemoProduct(
        gtin(12), "一次性使用静脉留置针", "Single-use IV catheter", "国械注准20243150987", "III"
    ),
)
CUSTOMERS = (
    Party("CUST-PUMCH", "北京协和医院 Peking Union Medical College Hospital", gln(201)),
    Party("CUST-RJH", "上海瑞金医院 Ruijin Hospital", gln(202)),
    Party("CUST-WCH", "四川大学华西医院 West China Hospital", ""),
    Party("DIST-SPH", "上海医药分销 Shanghai Pharma Distribution", gln(204), kind="distributor"),
    Party("DIST-GZ", "广州医药供应链 Guangzhou Medical Supply Chain", "", kind="distributor"),
)
IQC_PLAN = ("IQC", 1)
FQC_PLAN = ("FQC", 1)
UNIT_TEST_PLAN = ("FT", 1)  # every finished unit's functional test at the end of the line


def purchase_order(supplier: str) -> str:
    return f"PO-2026-{supplier[4:]}"


def sales_order(customer: str) -> str:
    return f"SO-2026-{customer}"


def _csv(header: str, rows: list[str]) -> str:
    return "\r\n".join([header, *rows]) + "\r\n"


def master_data_csv(units: int) -> dict[str, str]:
    """Every master-data table as the CSV the import takes, in dependency order.

    Order quantities follow ``units`` so the demo's documents look like its volume.
    """
    products = [f"{p.gtin},gs1,{p.name_zh},{p.name_en},,,,,lot,yes,yes" for p in MATERIALS] + [
        f"{p.gtin},gs1,{p.name_zh},{p.name_en},,{p.registration_no},{p.device_class},1095,"
        "serial,no,yes"
        for p in DEVICES
    ]
    suppliers = [
        f"{s.code},{s.name},{s.gln},{s.qualification},"
        f"{'' if s.qualification == 'disqualified' else '2028-12-31'},yes"
        for s in SUPPLIERS
    ]
    parties = [f"{c.code},{c.name},{c.gln},{c.kind},yes" for c in CUSTOMERS]
    pos = [f"{purchase_order(s.code)},{s.code},open" for s in SUPPLIERS]
    po_lines = [f"{purchase_order(m.supplier)},1,{m.gtin},{units * 2},EA" for m in MATERIALS]
    po_lines.append(f"{purchase_order('SUP-XX')},1,{MATERIALS[0].gtin},1000,EA")
    sos = [f"{sales_order(c.code)},{c.code},open" for c in CUSTOMERS]
    so_lines = [
        f"{sales_order(c.code)},{line},{d.gtin},{units},EA"
        for c in CUSTOMERS
        for line, d in enumerate(DEVICES, start=1)
    ]
    return {
        "locations": _csv(
            "code,name,gln,kind,active",
            ["WH-SZ,苏州工厂成品库 Suzhou plant warehouse,,warehouse,yes", "QC-SZ,QC lab,,qc,yes"],
        ),
        "products": _csv(
            "di,di_scheme,name_zh,name_en,model,registration_no,device_class,shelf_life_days,"
            "trace_level,is_material,active",
            products,
        ),
        "suppliers": _csv("code,name,gln,qualification,qualified_until,active", suppliers),
        "parties": _csv("code,name,gln,kind,active", parties),
        "purchase_orders": _csv("number,supplier_code,status", pos),
        "purchase_order_lines": _csv("po_number,line_no,product_di,quantity,uom", po_lines),
        "sales_orders": _csv("number,party_code,status", sos),
        "sales_order_lines": _csv("so_number,line_no,product_di,quantity,uom", so_lines),
        "inspection_plans": _csv(
            "code,version,name,active",
            [
                "IQC,1,进料检验 Incoming,yes",
                "FQC,1,成品检验 Final,yes",
                "FT,1,单机功能测试 Unit functional test,yes",
            ],
        ),
        "inspection_checkpoints": _csv(
            "plan_code,plan_version,position,name,kind,lower_limit,upper_limit,unit",
            [
                "IQC,1,1,Diameter,numeric,4.9,5.1,MMT",
                "IQC,1,2,Visual,pass_fail,,,",
                "FQC,1,1,Leak test,pass_fail,,,",
                "FQC,1,2,Flow rate,numeric,95,105,MLT",
                "FT,1,1,Flow rate,numeric,97,103,MLT",
                "FT,1,2,Occlusion alarm,pass_fail,,,",
            ],
        ),
    }
