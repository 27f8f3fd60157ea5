"""A little valid data, so that Get/Update/Delete calls of the fuzz have targets."""

import grpc

from . import messages
from .stubs import find_message

NOW = messages.NOW


def seed(fz, channel, customers=6, orders=6, payments=4, interactions=6):
    """Creates customers, orders, payments, interactions and (if it can) one model.

    Learns their names into fz.ctx. Returns notes for the summary (what failed).
    """
    mods = fz.modules
    M = lambda name: find_message(mods, "crm.v1." + name)  # noqa: E731
    notes = []

    def call(path, request, response_type, timeout=10):
        try:
            data = channel.unary_unary(path)(request.SerializeToString(), timeout=timeout)
        except grpc.RpcError as e:
            notes.append("seed: %s failed: %s: %s" % (path.rsplit("/", 1)[-1], e.code().name, (e.details() or "")[:200]))
            return None
        msg = M(response_type).FromString(data)
        fz.ctx.learn(path, msg)
        return msg

    customer_names = []
    for k in range(customers):
        c = M("Customer")(
            display_name="Seed Customer %d" % k,
            email="seed%d@example.com" % k,
            phone="+49301234%03d" % k,
            company="ACME %d" % (k % 3),
            tags=["vip"] if k % 2 else ["smb"],
            external_id="seed-c-%d" % k,
            lifecycle_stage=1 + k % 4,
        )
        c.address.city = "Berlin"
        c.address.country = "DE"
        c.attributes["segment"] = "smb" if k % 2 else "enterprise"
        c.customer_since.seconds = NOW - (k + 1) * 86400 * 100
        created = call("/crm.v1.CustomerService/CreateCustomer", M("CreateCustomerRequest")(customer=c), "Customer")
        if created is not None:
            customer_names.append(created.name)
    if not customer_names:
        return notes + ["seed: no customer could be created; Get/Update calls have no targets"]

    order_names = []
    for k in range(orders):
        o = M("Order")(
            customer=customer_names[k % len(customer_names)],
            external_id="seed-o-%d" % k,
            status=1 + k % 4,
            currency_code="EUR",
        )
        for j in range(1 + k % 3):
            item = o.line_items.add()
            item.sku = "SKU-%d" % j
            item.product_name = "Product %d" % j
            item.category = messages.CATEGORIES[(k + j) % len(messages.CATEGORIES)]
            item.quantity = 1 + j
            item.unit_price_minor = 999 + 100 * j
        o.order_time.seconds = NOW - (k + 1) * 86400 * 7
        created = call("/crm.v1.OrderService/CreateOrder", M("CreateOrderRequest")(order=o), "Order")
        if created is not None:
            order_names.append(created.name)

    for k in range(min(payments, len(order_names))):
        p = M("Payment")(order=order_names[k], external_id="seed-p-%d" % k, amount_minor=500, currency_code="EUR",
                         method="card")
        p.paid_time.seconds = NOW - k * 86400
        call("/crm.v1.OrderService/CreatePayment", M("CreatePaymentRequest")(payment=p), "Payment")

    for k in range(interactions):
        it = M("Interaction")(
            customer=customer_names[k % len(customer_names)],
            external_id="seed-i-%d" % k,
            kind=1 + k % 5,
            direction=1 + k % 3,
            subject="Seed interaction %d" % k,
            outcome="interested",
            topic="books",
            duration_seconds=60 * k,
        )
        it.occur_time.seconds = NOW - k * 86400 * 3
        call("/crm.v1.InteractionService/CreateInteraction", M("CreateInteractionRequest")(interaction=it),
             "Interaction")

    # One model, so GetModel/Predict/GetNeedsReport have a target: a tiny uploaded table.
    algorithms = call("/crm.v1.AnalysisService/ListAlgorithms", M("ListAlgorithmsRequest")(), "ListAlgorithmsResponse")
    if algorithms is not None and algorithms.algorithms:
        names = [a.name for a in algorithms.algorithms]
        algorithm = next((n for n in ("gaussian-nb", "nearest-centroid", "majority-class") if n in names), names[0])
        req = M("TrainRequest")(algorithm=algorithm, cv_folds=1)
        ds = req.dataset
        ds.feature_names.extend(["f0", "f1"])
        for r in range(20):
            ds.values.extend([float(r % 2) * 3 + r * 0.01, float(r % 3)])
            ds.labels.append("a" if r % 2 else "b")
        ds.source = "fuzz-seed.csv"
        try:
            for data in channel.unary_stream("/crm.v1.AnalysisService/Train")(req.SerializeToString(), timeout=30):
                fz.ctx.learn("/crm.v1.AnalysisService/Train", M("TrainProgress").FromString(data))
        except grpc.RpcError as e:
            notes.append("seed: Train(%s) failed: %s: %s" % (algorithm, e.code().name, (e.details() or "")[:200]))
    elif algorithms is not None:
        notes.append("seed: no analysis algorithms loaded; no model to target")
    call("/crm.v1.PluginService/ListPlugins", M("ListPluginsRequest")(), "ListPluginsResponse")
    return notes
