import CRMCore
import CRMProto
import Foundation

extension Customer {
    /// The client-writable fields of `message`; output-only fields are ignored (AIP-203).
    init(_ message: Crm_V1_Customer) {
        self.init(
            displayName: message.displayName,
            email: message.email,
            phone: message.phone,
            company: message.company,
            address: PostalAddress(
                street: message.address.street,
                city: message.address.city,
                region: message.address.region,
                postalCode: message.address.postalCode,
                country: message.address.country
            ),
            tags: message.tags,
            attributes: message.attributes,
            externalID: message.externalID,
            lifecycleStage: LifecycleStage(rawValue: message.lifecycleStage.rawValue) ?? .unspecified,
            customerSince: message.hasCustomerSince ? message.customerSince.microsecondDate : nil
        )
    }

    var message: Crm_V1_Customer {
        var message = Crm_V1_Customer()
        message.name = resourceName
        message.displayName = displayName
        message.email = email
        message.phone = phone
        message.company = company
        if address != PostalAddress() {
            message.address.street = address.street
            message.address.city = address.city
            message.address.region = address.region
            message.address.postalCode = address.postalCode
            message.address.country = address.country
        }
        message.tags = tags
        message.attributes = attributes
        message.externalID = externalID
        message.lifecycleStage = Crm_V1_LifecycleStage(rawValue: lifecycleStage.rawValue) ?? .unspecified
        if let customerSince { message.customerSince = .init(microsecondDate: customerSince) }
        message.createTime = .init(microsecondDate: createTime)
        message.updateTime = .init(microsecondDate: updateTime)
        if let deleteTime { message.deleteTime = .init(microsecondDate: deleteTime) }
        if let mergedInto { message.mergedInto = ResourceName.customer(mergedInto) }
        message.etag = etag
        return message
    }
}

extension Crm_V1_LifecycleStage {
    /// A value outside the enum (a newer client) is bad input, not "unspecified".
    var isKnown: Bool { if case .UNRECOGNIZED = self { false } else { true } }
}
