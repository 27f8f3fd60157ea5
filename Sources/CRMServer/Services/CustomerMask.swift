import CRMCore
import CRMProto

/// The fields an UpdateCustomer call writes (AIP-134).
///
/// An empty mask means the fields the request populates; `*` means every
/// writable field, so unset ones are cleared. `attributes.<key>` sets or
/// removes one attribute. Output-only fields are ignored (AIP-203).
struct CustomerMask {
    enum Path: Hashable {
        case displayName, email, phone, company, street, city, region, postalCode, country
        case tags, attributes, externalID, lifecycleStage, customerSince
        case attribute(String)
    }

    private(set) var paths: Set<Path> = []

    private static let named: [String: [Path]] = [
        "display_name": [.displayName], "email": [.email], "phone": [.phone], "company": [.company],
        "address": [.street, .city, .region, .postalCode, .country],
        "address.street": [.street], "address.city": [.city], "address.region": [.region],
        "address.postal_code": [.postalCode], "address.country": [.country],
        "tags": [.tags], "attributes": [.attributes], "external_id": [.externalID],
        "lifecycle_stage": [.lifecycleStage], "customer_since": [.customerSince],
    ]
    private static let outputOnly: Set<String> = ["name", "create_time", "update_time", "delete_time", "etag"]

    init(_ requested: [String], populatedIn message: Crm_V1_Customer) throws {
        if requested.isEmpty {
            paths = Self.populated(message)
            return
        }
        for (index, path) in requested.enumerated() {
            if path == "*" {
                Self.named.values.forEach { paths.formUnion($0) }
            } else if let known = Self.named[path] {
                paths.formUnion(known)
            } else if path.hasPrefix("attributes."), path.count > "attributes.".count {
                paths.insert(.attribute(String(path.dropFirst("attributes.".count))))
            } else if !Self.outputOnly.contains(path) {
                throw CRMError.invalid(
                    "update_mask.paths[\(index)]",
                    "\"\(path)\" is not a field of Customer that can be updated"
                )
            }
        }
    }

    private static func populated(_ message: Crm_V1_Customer) -> Set<Path> {
        var paths: Set<Path> = []
        let checks: [(Bool, Path)] = [
            (!message.displayName.isEmpty, .displayName), (!message.email.isEmpty, .email),
            (!message.phone.isEmpty, .phone), (!message.company.isEmpty, .company),
            (!message.address.street.isEmpty, .street), (!message.address.city.isEmpty, .city),
            (!message.address.region.isEmpty, .region), (!message.address.postalCode.isEmpty, .postalCode),
            (!message.address.country.isEmpty, .country), (!message.tags.isEmpty, .tags),
            (!message.attributes.isEmpty, .attributes), (!message.externalID.isEmpty, .externalID),
            (message.lifecycleStage != .unspecified, .lifecycleStage), (message.hasCustomerSince, .customerSince),
        ]
        for (present, path) in checks where present { paths.insert(path) }
        return paths
    }

    /// Copies the masked fields of `incoming` onto `stored`.
    func apply(_ incoming: Customer, to stored: inout Customer) {
        for path in paths {
            switch path {
            case .displayName: stored.displayName = incoming.displayName
            case .email: stored.email = incoming.email
            case .phone: stored.phone = incoming.phone
            case .company: stored.company = incoming.company
            case .street: stored.address.street = incoming.address.street
            case .city: stored.address.city = incoming.address.city
            case .region: stored.address.region = incoming.address.region
            case .postalCode: stored.address.postalCode = incoming.address.postalCode
            case .country: stored.address.country = incoming.address.country
            case .tags: stored.tags = incoming.tags
            case .attributes: stored.attributes = incoming.attributes
            case .externalID: stored.externalID = incoming.externalID
            case .lifecycleStage: stored.lifecycleStage = incoming.lifecycleStage
            case .customerSince: stored.customerSince = incoming.customerSince
            case .attribute: break
            }
        }
        for case .attribute(let key) in paths {
            stored.attributes[key] = incoming.attributes[key]
        }
    }
}
