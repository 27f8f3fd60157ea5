"""Request generation: walks a message descriptor with a seeded random.Random.

Every choice draws from the generator's own `random.Random`, and a pool is
indexed with one `random()` draw whatever its size, so a seed and a call
number give the same request shape on every run (values taken from earlier
responses — names, page tokens, etags — are whatever the daemon answered).
"""

import math

from google.protobuf.descriptor import FieldDescriptor as FD

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)
INT32_MAX = 2**31 - 1
INT32_MIN = -(2**31)

# A string of 9 UTF-8 bytes that is replaced, after serialisation, by 9 bytes
# that are not UTF-8: protobuf's Python API refuses to hold invalid UTF-8 in a
# string field, the wire does not.
BAD_UTF8_MARK = "\x01BADUTF8\x01"
BAD_UTF8_BYTES = b"\xff\xfe\xc3\x28\xed\xa0\x80\xc0\xaf"
assert len(BAD_UTF8_MARK.encode()) == len(BAD_UTF8_BYTES)

COLLECTIONS = ("customers", "orders", "payments", "interactions", "models", "plugins")

MANY_BYTES = 3_000_000  # a "many elements" field stays below this

MODES = ("valid", "mixed", "hostile")
BAD_PROBABILITY = {"valid": 0.03, "mixed": 0.3, "hostile": 0.75}
SET_PROBABILITY = {"valid": 0.8, "mixed": 0.7, "hostile": 0.6}

NOW = 1_750_000_000  # a fixed "now" (June 2025) keeps generation deterministic

BAD_SECONDS = [
    INT64_MAX,
    INT64_MIN,
    9_223_372_036_855,
    -9_223_372_036_855,
    9_223_372_036_854,
    253_402_300_800,
    -253_402_300_800,
    253_402_300_799,
    -62_135_596_800,
    -62_135_596_801,
    0,
    -1,
    2**53,
    -(2**53),
    INT64_MAX // 1000,
]
BAD_NANOS = [-1, 1_000_000_000, INT32_MAX, INT32_MIN, 999_999_999, 0]

BAD_NAME_SUFFIXES = [
    "+1", "01", "-1", "0", "1/x", "1/", "", " 1", "1 ", "1\x00", "１", "\u0661",
    "9223372036854775807", "9223372036854775808", "99999999999999999999999", "1e3",
    "0x1", "1.0", "abc", "%31", "*", "..", "1;DROP TABLE customers", "-9223372036854775808",
]

GOOD_FILTERS = [
    'display_name = "Ada Lovelace"',
    'email = "ada@example.com"',
    'lifecycle_stage = LIFECYCLE_STAGE_CUSTOMER',
    'create_time > "2020-01-01T00:00:00Z"',
    'tags:vip',
    'attributes.segment = "smb"',
    'company = "ACME" AND lifecycle_stage != LIFECYCLE_STAGE_CHURNED',
    'customer = "customers/1"',
    'status = ORDER_STATUS_PENDING',
    'currency_code = "EUR" OR total_minor > 1000',
    'order_time >= "2024-01-01T00:00:00Z"',
    'kind = INTERACTION_KIND_CALL',
    'direction = DIRECTION_INBOUND AND outcome = "interested"',
    'amount_minor > 0',
    'method = "card"',
    'NOT external_id = "x"',
    'occur_time < "2030-01-01T00:00:00Z"',
    '',
]
BAD_FILTERS = [
    '(((((', ')', 'a =', 'display_name = "unterminated', 'display_name = ', '= 1',
    'nonexistent_field = 1', "x' OR 1=1 --", 'create_time > "not a time"',
    'total_minor > 99999999999999999999999999', 'total_minor > -9223372036854775809',
    'create_time > "9999-12-31T23:59:59Z"', 'create_time > "0000-01-01T00:00:00Z"',
    'NOT ' * 500 + 'a = 1', '(' * 5000 + 'a = 1' + ')' * 5000, 'a = 1 AND ' * 2000 + 'a = 1',
    'display_name = "\x00"', 'display_name : "*"', 'attributes. = "x"', 'tags:', '"',
    'display_name = ' + BAD_UTF8_MARK, 'status = 99', 'kind = INTERACTION_KIND_BOGUS',
    'customer = "customers/+1"', 'display_name = "' + "%" * 1000 + '"', 'a.b.c.d.e = 1',
    'order_time > 2024', 'amount_minor > 1.5', 'amount_minor > NaN',
]
GOOD_ORDER_BY = ["", "display_name", "create_time desc", "name", "update_time desc, display_name",
                 "order_time desc", "total_minor", "occur_time", "paid_time desc", "amount_minor"]
BAD_ORDER_BY = ["display_name asc desc", "nonexistent", ",,,", "; DROP TABLE customers", "desc",
                "display_name DESC DESC", "name," * 500, "\x00", "create_time desc,", " ", "a b c",
                "attributes.x", BAD_UTF8_MARK]
GOOD_EMAILS = ["ada{n}@example.com", "Grace.Hopper+{n}@Example.org", "x{n}@a.de"]
BAD_EMAILS = ["no-at-sign", "@", "a@", "@b", "a@b@c", "a b@example.com", "ü{n}@exämple.de",
              "a@" + "x" * 300 + ".com", "<script>@x.y", "a@b..c", "\x00@x.y"]
GOOD_PHONES = ["+4930123456", "+1 415 555 0100", "030 1234567", "(0)30-1234-567"]
BAD_PHONES = ["abc", "+", "+" + "9" * 40, "++49", "0" * 100, "+49\x0030", "☎️"]
GOOD_CURRENCIES = ["EUR", "USD", "JPY", "GBP", "CHF"]
BAD_CURRENCIES = ["eur", "EURO", "", "XXX", "€", "E", "123", "EU\x00", "ZZZ"]
GOOD_COUNTRIES = ["DE", "US", "GB", "FR", "JP"]
BAD_COUNTRIES = ["de", "DEU", "", "ZZ", "D", "\x00\x00"]
GOOD_TAGS = ["vip", "smb", "region:eu", "a-b_c.d", "x" * 64]
BAD_TAGS = ["", "with space", "x" * 65, "ünï", "a/b", "\x00", "tag\n"]
GOOD_ATTR_KEYS = ["segment", "source", "tier", "a-b.c_d"]
BAD_ATTR_KEYS = ["", "with space", "k" * 65, "ü", "a/b", "\x00"]
ALGORITHMS = ["gaussian-nb", "nearest-centroid", "majority-class", "decision-tree", "svm", "neural-network"]
TARGETS = ["next-category", "churn", "attribute:segment", "tag:vip"]
BAD_TARGETS = ["", "attribute:", "tag:", "unknown", "attribute:" + "x" * 1000, "csv:x", "next-category\x00"]
SEGMENT_BY = ["lifecycle", "predicted", "attribute:segment", ""]
PARAMETERS = {
    "C": ["1", "10", "0.1"], "kernel": ["linear", "rbf"], "gamma": ["scale", "0.5"],
    "max_depth": ["3", "5"], "min_samples_leaf": ["1", "2"], "criterion": ["gini", "entropy"],
    "hidden_layer_sizes": ["8", "16,8"], "max_iter": ["50", "100"], "learning_rate_init": ["0.01"],
    "alpha": ["0.0001"], "activation": ["relu", "tanh"], "var_smoothing": ["1e-9"],
}
BAD_PARAMETER_VALUES = ["-1", "0", "NaN", "inf", "-inf", "1e308", "abc", "", "9223372036854775808",
                        "1,2,3,", ",", "0,0", "-5,3", "1" * 400, "\x00", "4096,4096", "65536,65536",
                        "100000000"]
CATEGORIES = ["books", "garden", "tools", "toys", "food"]
PAYMENT_METHODS = ["card", "transfer", "cash"]
HEALTH_SERVICES = ["", "crm.v1.CustomerService", "grpc.health.v1.Health", "no.such.Service"]
UNICODE = ["Ünïcödé Ñame", "名前", "😀" * 10, "\u202eevil", "a\u0301", "\ufeff", "\u200b", "Ω" * 50]


class Context:
    """What earlier calls taught: resource names, page tokens, etags, algorithms."""

    def __init__(self):
        self.names = {c: [] for c in COLLECTIONS}
        self.page_tokens = {}  # method path → tokens
        self.etags = []
        self.external_ids = []
        self.algorithms = list(ALGORITHMS)

    def _add(self, pool, value, cap=64):
        if value and value not in pool:
            pool.append(value)
            if len(pool) > cap:
                del pool[0]

    def learn(self, method_path, message, depth=0):
        if depth > 6 or message is None:
            return
        for field, value in message.ListFields():
            if field.type == FD.TYPE_MESSAGE:
                if field.message_type.GetOptions().map_entry:
                    continue
                values = value if field.is_repeated else [value]
                for v in values[:50]:
                    self.learn(method_path, v, depth + 1)
            elif field.type == FD.TYPE_STRING and not field.is_repeated:
                if field.name == "next_page_token":
                    self._add(self.page_tokens.setdefault(method_path, []), value, 16)
                elif field.name == "etag":
                    self._add(self.etags, value)
                elif field.name == "external_id":
                    self._add(self.external_ids, value)
                elif field.name in ("name", "customer", "order", "model", "plugin"):
                    collection = value.split("/", 1)[0]
                    if collection in self.names and "/" in value:
                        self._add(self.names[collection], value)
                if message.DESCRIPTOR.full_name == "crm.v1.Algorithm" and field.name == "name":
                    self._add(self.algorithms, value, 32)

    def all_page_tokens(self):
        tokens = []
        for path in sorted(self.page_tokens):
            tokens.extend(self.page_tokens[path])
        return tokens


def collection_for(message_name, field_name):
    if field_name in ("customer", "customers"):
        return "customers"
    if field_name == "order":
        return "orders"
    if field_name == "model":
        return "models"
    if field_name == "plugin":
        return "plugins"
    for word, collection in (
        ("Customer", "customers"), ("Payment", "payments"), ("Order", "orders"),
        ("Interaction", "interactions"), ("Model", "models"), ("Plugin", "plugins"),
    ):
        if word in message_name:
            return collection
    return "customers"


class Generator:
    """Builds one request. `mode` is valid | mixed | hostile."""

    def __init__(self, rng, ctx, mode):
        self.rng = rng
        self.ctx = ctx
        self.mode = mode
        self.big_budget = 1  # at most one ~1 MB string per request
        self.repeat_budget = 1  # at most one "many elements" repetition per request

    # -- small helpers; each consumes a fixed number of draws -------------------
    def chance(self, p):
        return self.rng.random() < p

    def pick(self, pool, default=""):
        r = self.rng.random()
        if not pool:
            return default
        return pool[min(len(pool) - 1, int(r * len(pool)))]

    def bad(self):
        return self.chance(BAD_PROBABILITY[self.mode])

    def n(self):
        return self.rng.randrange(1, 100)

    # -- values --------------------------------------------------------------
    def weird_string(self):
        r = self.rng.random()
        if r < 0.12:
            return ""
        if r < 0.22:
            return BAD_UTF8_MARK
        if r < 0.32:
            return "a\x00b"
        if r < 0.5:
            return self.pick(UNICODE)
        if r < 0.6 and self.big_budget > 0:
            self.big_budget -= 1
            size = self.pick([70_000, 300_000, 1_000_000])
            return "x" * size
        if r < 0.7:
            return " " * self.rng.randrange(1, 300)
        if r < 0.8:
            return "%s%d%s" % ("\\" * 3, self.n(), "'\"`")
        if r < 0.9:
            return "x" * self.pick([201, 256, 501, 1025, 65_537])
        return "".join(chr(self.rng.randrange(1, 0xD7FF)) for _ in range(self.rng.randrange(1, 40)))

    def resource_name(self, collection, bad):
        known = self.ctx.names.get(collection, [])
        if not bad:
            if collection == "plugins":
                return self.pick(known, "plugins/gaussian-nb")
            r = self.rng.random()
            if r < 0.75 and known:
                return self.pick(known)
            return "%s/%d" % (collection, self.rng.randrange(1, 12))
        r = self.rng.random()
        if r < 0.55:
            return "%s/%s" % (collection, self.pick(BAD_NAME_SUFFIXES))
        if r < 0.7:  # another collection's name
            other = self.pick([c for c in COLLECTIONS if c != collection])
            return self.pick(self.ctx.names.get(other, []), other + "/1")
        if r < 0.8:
            return self.pick(["", "/", collection, collection + "/", "/" + collection + "/1", "customers//1"])
        return self.weird_string()

    def string_value(self, field, message_desc):
        name = field.name
        bad = self.bad()
        if bad and self.chance(0.35):
            return self.weird_string()
        n = self.n()
        if name in ("name", "customer", "order", "model", "plugin") or (
            name == "customers" and field.is_repeated
        ):
            return self.resource_name(collection_for(message_desc.name, name), bad)
        if name == "email":
            return (self.pick(BAD_EMAILS) if bad else self.pick(GOOD_EMAILS)).format(n=n)
        if name == "phone":
            return self.pick(BAD_PHONES if bad else GOOD_PHONES)
        if name == "currency_code":
            return self.pick(BAD_CURRENCIES if bad else GOOD_CURRENCIES)
        if name == "country":
            return self.pick(BAD_COUNTRIES if bad else GOOD_COUNTRIES)
        if name == "filter":
            return self.pick(BAD_FILTERS if bad else GOOD_FILTERS)
        if name == "order_by":
            return self.pick(BAD_ORDER_BY if bad else GOOD_ORDER_BY)
        if name == "page_token":
            if bad:
                return self.pick(
                    ["abc", "AAAA", "=", "eyJvZmZzZXQiOi0xfQ==", "eyJvZmZzZXQiOjk5OTk5OTk5OTk5OTk5OTk5OTk5fQ",
                     "%%%", "x" * 5000, "\x00"]
                )
            if self.chance(0.5):  # any method's token: also another resource's list
                return self.pick(self.ctx.all_page_tokens())
            return ""
        if name == "etag":
            return self.weird_string() if bad else (self.pick(self.ctx.etags) if self.chance(0.5) else "")
        if name in ("external_id", "customer_external_id", "order_external_id"):
            if bad:
                return self.pick(["", " ", "x" * 300, "ext\x00", BAD_UTF8_MARK])
            if self.chance(0.3):
                return self.pick(self.ctx.external_ids, "ext-1")
            return "ext-%d" % n
        if name == "display_name":
            return self.pick(["", "x" * 201, " ", "\n"]) if bad else self.pick(
                ["Ada Lovelace", "Grace Hopper %d" % n, "Ünïcödé Kunde", "ACME GmbH"])
        if name == "algorithm":
            return self.pick(["", "no-such-algorithm", "SVM", "svm\x00", "../svm"]) if bad else self.pick(
                self.ctx.algorithms)
        if name == "target":
            return self.pick(BAD_TARGETS) if bad else self.pick(TARGETS)
        if name == "segment_by":
            return self.pick(["attribute:", "bogus", "attribute:" + "x" * 500]) if bad else self.pick(SEGMENT_BY)
        if name == "service" and message_desc.name == "HealthCheckRequest":
            return self.weird_string() if bad else self.pick(HEALTH_SERVICES)
        if name == "category":
            return self.pick(["", "x" * 300]) if bad else self.pick(CATEGORIES)
        if name == "method" and message_desc.name == "Payment":
            return "x" * 33 if bad else self.pick(PAYMENT_METHODS)
        if name == "outcome":
            return self.pick(["Interested", "x" * 65, ""]) if bad else self.pick(["interested", "no-answer", "order"])
        if name in ("sku", "product_name", "company", "street", "city", "region", "postal_code",
                    "subject", "topic", "query", "source", "description", "body"):
            if bad:
                return self.weird_string()
            return self.pick(["Widget %d" % n, "Berlin", "10115", "quarterly call", "ada", "gr", "x"])
        if name == "feature_names":
            return "" if bad else "f%d" % n
        if name == "labels":
            return "" if bad else self.pick(["a", "b"])
        if name == "update_mask":
            return ""
        return self.weird_string() if bad else "value-%d" % n

    def int_value(self, field):
        name = field.name
        is32 = field.type in (FD.TYPE_INT32, FD.TYPE_SINT32, FD.TYPE_SFIXED32)
        unsigned = field.type in (FD.TYPE_UINT32, FD.TYPE_UINT64, FD.TYPE_FIXED32, FD.TYPE_FIXED64)
        lo, hi = (INT32_MIN, INT32_MAX) if is32 else (INT64_MIN, INT64_MAX)
        if unsigned:
            lo, hi = 0, (2**32 - 1 if field.type in (FD.TYPE_UINT32, FD.TYPE_FIXED32) else 2**64 - 1)
        if self.bad():
            v = self.pick([lo, hi, -1, 0, 1, lo + 1, hi - 1, 1001, 1_000_001, 10**12 + 1, 2**31, -(2**31) - 1,
                           2**53 + 1, 86_401, 21, -5])
        else:
            good = {
                "page_size": [0, 1, 2, 10, 50, 1000],
                "quantity": [1, 2, 5, 1_000_000],
                "unit_price_minor": [0, 199, 1999, 10**12],
                "amount_minor": [1, 100, 5000],
                "duration_seconds": [0, 60, 86_400],
                "cv_folds": [0, 1, 2, 3],
                "response_limit": [0, 1, 10],
                "customer_limit": [0, 5, 100],
                "random_state": [0, 1, 42],
            }.get(name, [0, 1, 2, 7, 100])
            v = self.pick(good)
        return max(lo, min(hi, v))

    def double_value(self, field):
        if self.bad():
            return self.pick([math.nan, math.inf, -math.inf, -0.0, 1e308, -1e308, 5e-324, -1.0, 2.0, 0.9000001])
        if field.name == "test_fraction":
            return self.pick([0.0, 0.25, 0.5, 0.9])
        return self.pick([0.0, 0.5, 1.0, 3.25, -2.5, 100.0])

    def enum_value(self, field):
        numbers = [v.number for v in field.enum_type.values]
        if self.bad():
            return self.pick([max(numbers) + 1, 99, -1, INT32_MAX, INT32_MIN, 0])
        return self.pick(numbers)

    def scalar(self, field, message_desc):
        t = field.type
        if t == FD.TYPE_STRING:
            return self.string_value(field, message_desc)
        if t == FD.TYPE_BYTES:
            if self.bad():
                return self.pick([b"", b"\xff\xfe\xfd", b"\x00" * 100, bytes(range(256)), b"x" * 100_000])
            return b"bytes-%d" % self.n()
        if t == FD.TYPE_BOOL:
            return self.chance(0.5)
        if t in (FD.TYPE_DOUBLE, FD.TYPE_FLOAT):
            v = self.double_value(field)
            if t == FD.TYPE_FLOAT and math.isfinite(v) and abs(v) > 3.4e38:
                v = math.inf
            return v
        if t == FD.TYPE_ENUM:
            return self.enum_value(field)
        return self.int_value(field)

    # -- well-known types -------------------------------------------------------
    def timestamp(self, msg):
        if self.bad():
            msg.seconds = self.pick(BAD_SECONDS)
            msg.nanos = self.pick(BAD_NANOS)
        else:
            msg.seconds = NOW - self.rng.randrange(0, 5 * 365 * 86400)
            msg.nanos = self.pick([0, 500_000_000, 999_999_999])

    def duration(self, msg):
        if self.bad():
            msg.seconds = self.pick([INT64_MAX, INT64_MIN, -1, 0, 315_576_000_001, -315_576_000_001, 1])
            msg.nanos = self.pick(BAD_NANOS)
        else:
            msg.seconds = self.pick([86_400, 30 * 86_400, 90 * 86_400, 365 * 86_400])
            msg.nanos = 0

    def field_paths(self, desc, prefix="", depth=0):
        paths = []
        for f in desc.fields:
            paths.append(prefix + f.name)
            if f.type == FD.TYPE_MESSAGE and depth < 2 and not f.is_repeated:
                if f.message_type.full_name.startswith("google.protobuf."):
                    continue
                paths.extend(self.field_paths(f.message_type, prefix + f.name + ".", depth + 1))
        return paths

    def field_mask(self, msg, message_desc):
        # The resource is the message-typed sibling of update_mask.
        resource = None
        for f in message_desc.fields:
            if f.type == FD.TYPE_MESSAGE and not f.message_type.full_name.startswith("google.protobuf."):
                resource = f.message_type
                break
        real = self.field_paths(resource) if resource else ["name"]
        real += ["*", "attributes.segment", "attributes.tier"]
        count = self.rng.randrange(0, 4)
        for _ in range(count):
            if self.bad():
                msg.paths.append(self.pick(["", "nonexistent", "name.x", "a..b", "NAME", "display_name ",
                                            "attributes.", "attributes", "*.*", "address.nope",
                                            BAD_UTF8_MARK, "x" * 1000, "customer.display_name"]))
            else:
                msg.paths.append(self.pick(real))
        if self.mode == "hostile" and self.repeat_budget > 0 and self.chance(0.05):
            self.repeat_budget -= 1
            msg.paths.extend(self.pick(real) for _ in range(5000))

    # -- messages ---------------------------------------------------------------
    def repeat_count(self):
        if self.mode != "valid" and self.repeat_budget > 0 and self.chance(0.04):
            self.repeat_budget -= 1
            return self.pick([1001, 5000, 20_000])
        return self.pick([0, 1, 1, 2, 3])

    def dataset(self, msg):
        features = self.rng.randrange(1, 5)
        rows = self.pick([4, 12, 30])
        msg.feature_names.extend("f%d" % i for i in range(features))
        for r in range(rows):
            label = "a" if r % 2 else "b"
            msg.labels.append(label)
            for c in range(features):
                msg.values.append((r % 2) * 3.0 + self.rng.random() + c)
        if self.chance(0.3):
            msg.is_test.extend((r % 4 == 0) for r in range(rows))
        msg.source = "fuzz.csv"

    def message(self, msg, depth=0):
        desc = msg.DESCRIPTOR
        full = desc.full_name
        if full == "google.protobuf.Timestamp":
            return self.timestamp(msg)
        if full == "google.protobuf.Duration":
            return self.duration(msg)
        if full == "google.protobuf.FieldMask":
            return None  # filled by the parent, which knows the resource
        if full == "crm.v1.TabularDataset" and self.mode != "hostile" and not self.bad():
            return self.dataset(msg)
        # At most one member of each real oneof.
        chosen = {}
        for oneof in desc.oneofs:
            if len(oneof.fields) > 1:
                member = self.pick(list(oneof.fields) + [None])
                chosen[oneof.name] = member.name if member is not None else None
        for field in desc.fields:
            oneof = field.containing_oneof
            if oneof is not None and oneof.name in chosen and chosen[oneof.name] != field.name:
                continue
            if not self.chance(SET_PROBABILITY[self.mode]):
                continue
            self.set_field(msg, field, depth)

    def set_field(self, msg, field, depth):
        desc = msg.DESCRIPTOR
        if field.type == FD.TYPE_MESSAGE:
            sub_desc = field.message_type
            if sub_desc.GetOptions().map_entry:
                container = getattr(msg, field.name)
                key_f, value_f = sub_desc.fields_by_name["key"], sub_desc.fields_by_name["value"]
                for _ in range(self.repeat_count()):
                    if field.name == "parameters":
                        key = self.pick(sorted(PARAMETERS)) if not self.bad() else self.weird_string()
                        value = (self.pick(BAD_PARAMETER_VALUES) if self.bad()
                                 else self.pick(PARAMETERS.get(key, ["1"])))
                    elif field.name == "attributes":
                        key = self.pick(BAD_ATTR_KEYS) if self.bad() else self.pick(GOOD_ATTR_KEYS)
                        value = self.weird_string() if self.bad() else "v%d" % self.n()
                    else:
                        key = self.scalar(key_f, sub_desc)
                        value = self.scalar(value_f, sub_desc) if value_f.type != FD.TYPE_MESSAGE else None
                    if value_f.type == FD.TYPE_MESSAGE:
                        self.message(container[key], depth + 1)
                    else:
                        container[key] = value
                return
            if depth > 8:
                return
            if field.is_repeated:
                count = self.repeat_count()
                if count > 200:  # many elements: the same small shape repeated, cheap to build
                    self.big_budget = 0
                    proto = getattr(msg, field.name).add()
                    self.message(proto, depth + 1)
                    count = min(count, max(1, MANY_BYTES // max(1, proto.ByteSize())))
                    for _ in range(count - 1):
                        getattr(msg, field.name).add().CopyFrom(proto)
                    return
                for _ in range(count):
                    self.message(getattr(msg, field.name).add(), depth + 1)
                return
            sub = getattr(msg, field.name)
            if sub_desc.full_name == "google.protobuf.FieldMask":
                self.field_mask(sub, desc)
            else:
                self.message(sub, depth + 1)
                sub.SetInParent()
            return
        if field.is_repeated:
            count = self.repeat_count()
            if field.name == "values" and desc.full_name == "crm.v1.TabularDataset":
                count = self.pick([0, 3, 7, 12, count])
            if count > 200:
                self.big_budget = 0
            values = [self.scalar(field, desc) for _ in range(min(count, 200))]
            if count > 200 and values:
                values = (values * (count // len(values) + 1))[:count]
                if field.type in (FD.TYPE_STRING, FD.TYPE_BYTES):
                    total, kept = 0, []
                    for v in values:
                        total += len(v) + 2
                        if total > MANY_BYTES:
                            break
                        kept.append(v)
                    values = kept
            getattr(msg, field.name).extend(values)
            return
        setattr(msg, field.name, self.scalar(field, desc))


def build_request(method, rng, ctx, mode):
    """One request message for `method` and its serialised bytes (invalid UTF-8 substituted)."""
    gen = Generator(rng, ctx, mode)
    msg = method.input_class()
    gen.message(msg)
    return msg, serialize(msg)


def serialize(msg):
    data = msg.SerializeToString()
    if BAD_UTF8_MARK.encode() in data:
        data = data.replace(BAD_UTF8_MARK.encode(), BAD_UTF8_BYTES)
    return data


# -- raw frames: bytes that are not (or not quite) a protobuf of the method's type ----------

def _varint(n):
    out = bytearray()
    n &= (1 << 64) - 1
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def raw_payload(rng, valid_bytes):
    """Malformed protobuf bytes; `valid_bytes` is a well-formed request to mutate."""
    r = rng.random()
    if r < 0.15:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))
    if r < 0.25 and len(valid_bytes) > 1:
        return valid_bytes[: rng.randrange(1, len(valid_bytes))]  # truncated
    if r < 0.32:
        return valid_bytes + b"\xff" * rng.randrange(1, 12)  # trailing garbage
    if r < 0.4:
        return b"\x08" + b"\xff" * 11  # varint longer than 10 bytes
    if r < 0.48:
        return b"\x0a" + _varint(rng.choice([2**31, 2**32 + 5, 2**63, 2**64 - 1])) + b"abc"  # huge length
    if r < 0.55:
        return b"\x0d\x00\x00\x00\x00" + b"\x11" + b"\x00" * 8  # wrong wire types for fields 1, 2
    if r < 0.62:
        depth = rng.choice([100, 1000, 100_000])
        return b"\xfb\x07" * depth + b"\xfc\x07" * depth  # nested unknown groups (field 127)
    if r < 0.68:
        depth = rng.choice([50, 200, 2000])
        inner = b""
        for _ in range(depth):  # nested length-delimited field 1 (a message field where there is one)
            inner = b"\x0a" + _varint(len(inner)) + inner
        return inner
    if r < 0.74:
        return b"\x04"  # end-group without start
    if r < 0.8:
        return b"\x03"  # start-group on field 0
    if r < 0.86:
        return b"\x0f"  # wire type 7 (invalid)
    if r < 0.92:
        # an unknown field with a big payload plus the valid request
        return b"\xfa\x3f" + _varint(500_000) + b"u" * 500_000 + valid_bytes
    data = bytearray(valid_bytes or b"\x0a\x01x")
    for _ in range(rng.randrange(1, 6)):
        data[rng.randrange(len(data))] = rng.randrange(256)  # bit rot
    return bytes(data)


def short_repr(obj, limit=300):
    """A one-line, truncated picture of a request (message, bytes or list of them)."""
    if isinstance(obj, (bytes, bytearray)):
        head = bytes(obj[:24]).hex()
        return "raw %d bytes: %s%s" % (len(obj), head, "…" if len(obj) > 24 else "")
    if isinstance(obj, list):
        text = "stream of %d: [%s]" % (len(obj), ", ".join(short_repr(o, 120) for o in obj[:3]))
        return text[:limit]
    text = _message_repr(obj, 0)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _value_repr(field, v, depth):
    if field.type == FD.TYPE_MESSAGE:
        return _message_repr(v, depth + 1)
    if isinstance(v, str):
        if BAD_UTF8_MARK in v:
            v = v.replace(BAD_UTF8_MARK, "<invalid-utf8>")
        if len(v) > 40:
            return repr(v[:24]) + "…(%d chars)" % len(v)
        return repr(v)
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)
    if field.type == FD.TYPE_ENUM:
        ev = field.enum_type.values_by_number.get(v)
        return ev.name if ev else str(v)
    return repr(v)


def _message_repr(msg, depth):
    if depth > 4:
        return "{…}"
    parts = []
    for field, value in msg.ListFields():
        if field.is_repeated:
            if field.type == FD.TYPE_MESSAGE and field.message_type.GetOptions().map_entry:
                items = list(value.items())[:3]
                inner = ", ".join("%r: %s" % (k, v if not hasattr(v, "DESCRIPTOR") else "{…}") for k, v in items)
                parts.append("%s={%s%s}" % (field.name, inner, ", …" if len(value) > 3 else ""))
                continue
            shown = ", ".join(_value_repr(field, v, depth) for v in list(value)[:3])
            more = " …(%d)" % len(value) if len(value) > 3 else ""
            parts.append("%s=[%s%s]" % (field.name, shown, more))
        else:
            parts.append("%s=%s" % (field.name, _value_repr(field, value, depth)))
    return "{" + ", ".join(parts) + "}"
