"""Targeted probes: inputs issue 9 names that must be refused. An OK answer is a finding
("bad input accepted"); a crash, hang or INTERNAL is classified as for any call."""

from . import messages
from .stubs import find_message


def run(fz):
    M = lambda n: find_message(fz.modules, "crm.v1." + n)  # noqa: E731
    ctx = fz.ctx
    customer = (ctx.names["customers"] or ["customers/1"])[0]
    model = (ctx.names["models"] or ["models/1"])[0]
    probes = []

    def probe(label, path, request):
        probes.append((label, path, request))

    for suffix in ("+1", "01", "1/x", "-1", "1 ", "\u0661"):
        probe("non-canonical name customers/%s" % suffix, "/crm.v1.CustomerService/GetCustomer",
              M("GetCustomerRequest")(name="customers/" + suffix))
    probe("negative page_size", "/crm.v1.CustomerService/ListCustomers", M("ListCustomersRequest")(page_size=-1))

    # Page tokens of one list given to another.
    def token(path, request, response):
        try:
            data = fz.channel.unary_unary(path)(request.SerializeToString(), timeout=10)
            return M(response).FromString(data).next_page_token
        except Exception:
            return ""

    t_customers = token("/crm.v1.CustomerService/ListCustomers", M("ListCustomersRequest")(page_size=1),
                        "ListCustomersResponse")
    t_orders = token("/crm.v1.OrderService/ListOrders", M("ListOrdersRequest")(page_size=1), "ListOrdersResponse")
    if t_customers:
        probe("ListCustomers page token given to ListOrders", "/crm.v1.OrderService/ListOrders",
              M("ListOrdersRequest")(page_token=t_customers))
        probe("ListCustomers page token given to ListInteractions", "/crm.v1.InteractionService/ListInteractions",
              M("ListInteractionsRequest")(page_token=t_customers))
        probe("ListCustomers page token with another filter", "/crm.v1.CustomerService/ListCustomers",
              M("ListCustomersRequest")(page_token=t_customers, filter='display_name = "x"'))
    if t_orders:
        probe("ListOrders page token given to ListCustomers", "/crm.v1.CustomerService/ListCustomers",
              M("ListCustomersRequest")(page_token=t_orders))

    def customer_with_since(seconds, nanos=0):
        c = M("Customer")(display_name="Probe", email="probe-%d-%d@example.com" % (seconds % 1000003, nanos % 1009))
        c.customer_since.seconds = seconds
        c.customer_since.nanos = nanos
        return M("CreateCustomerRequest")(customer=c)

    probe("Timestamp nanos -1", "/crm.v1.CustomerService/CreateCustomer", customer_with_since(messages.NOW, -1))
    probe("Timestamp nanos 1e9", "/crm.v1.CustomerService/CreateCustomer",
          customer_with_since(messages.NOW, 1_000_000_000))
    probe("Timestamp year 10000 (253402300800 s)", "/crm.v1.CustomerService/CreateCustomer",
          customer_with_since(253_402_300_800))
    probe("Timestamp before year 1 (-62135596801 s)", "/crm.v1.CustomerService/CreateCustomer",
          customer_with_since(-62_135_596_801))
    probe("Timestamp seconds 9223372036855", "/crm.v1.CustomerService/CreateCustomer",
          customer_with_since(9_223_372_036_855))
    probe("Timestamp seconds -9223372036855", "/crm.v1.CustomerService/CreateCustomer",
          customer_with_since(-9_223_372_036_855))
    it = M("Interaction")(customer=customer, kind=2, direction=1)
    it.occur_time.seconds = 2**63 - 1
    probe("Interaction occur_time seconds 2^63-1", "/crm.v1.InteractionService/CreateInteraction",
          M("CreateInteractionRequest")(interaction=it))
    p = M("PredictRequest")(model=model)
    p.as_of.seconds = 2**63 - 1
    probe("Predict as_of seconds 2^63-1", "/crm.v1.AnalysisService/Predict", p)

    o = M("Order")(customer=customer, currency_code="EUR")
    item = o.line_items.add()
    item.product_name, item.category, item.quantity, item.unit_price_minor = "P", "books", 0, 100
    probe("order line quantity 0", "/crm.v1.OrderService/CreateOrder", M("CreateOrderRequest")(order=o))
    o2 = M("Order")(customer=customer, currency_code="EUR")
    for _ in range(10):  # each line 10^18, the total 10^19 > 2^63-1
        item = o2.line_items.add()
        item.product_name, item.category, item.quantity, item.unit_price_minor = "P", "books", 1_000_000, 10**12
    probe("order total 10^19 (10 lines of max quantity × max price)", "/crm.v1.OrderService/CreateOrder",
          M("CreateOrderRequest")(order=o2))

    if "neural-network" in ctx.algorithms:
        t = M("TrainRequest")(algorithm="neural-network", cv_folds=1)
        t.parameters["hidden_layer_sizes"] = "65536,65536"
        t.dataset.feature_names.extend(["f0", "f1"])
        for r in range(20):
            t.dataset.values.extend([float(r % 2), float(r % 3)])
            t.dataset.labels.append("a" if r % 2 else "b")
        probe("neural-network hidden_layer_sizes=65536,65536", "/crm.v1.AnalysisService/Train", t)

    by_path = {m.path: m for m in fz.methods}
    for n, (label, path, request) in enumerate(probes):
        method = by_path.get(path, path)
        fz.findings.probes += 1
        outcome = fz.one_call("probe %d" % n, method, [request.SerializeToString()],
                              "%s: %s" % (label, messages.short_repr(request, 200)), count=False)
        if outcome is not None and outcome.code == "OK":
            e = fz.entry("probe %d" % n, method, "%s: %s" % (label, messages.short_repr(request, 200)), outcome)
            e["label"] = label
            fz.findings.add("accepted", e)
