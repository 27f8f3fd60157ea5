import CRMCore
import CRMProto
import Foundation

extension Order {
    /// The client-writable fields of `message`; ids come from resource names checked by the caller.
    init(_ message: Crm_V1_Order, customerID: Int64) {
        self.init(
            customerID: customerID,
            customerExternalID: message.customerExternalID,
            externalID: message.externalID,
            status: OrderStatus(rawValue: message.status.rawValue) ?? .unspecified,
            currencyCode: message.currencyCode,
            lineItems: message.lineItems.map {
                LineItem(
                    sku: $0.sku,
                    productName: $0.productName,
                    category: $0.category,
                    quantity: $0.quantity,
                    unitPriceMinor: $0.unitPriceMinor
                )
            },
            orderTime: message.hasOrderTime ? message.orderTime.microsecondDate : Date(timeIntervalSince1970: 0)
        )
    }

    var message: Crm_V1_Order {
        var message = Crm_V1_Order()
        message.name = resourceName
        message.customer = ResourceName.customer(customerID)
        message.customerExternalID = customerExternalID
        message.externalID = externalID
        message.status = Crm_V1_OrderStatus(rawValue: status.rawValue) ?? .unspecified
        message.currencyCode = currencyCode
        message.lineItems = lineItems.map { line in
            var item = Crm_V1_LineItem()
            item.sku = line.sku
            item.productName = line.productName
            item.category = line.category
            item.quantity = line.quantity
            item.unitPriceMinor = line.unitPriceMinor
            item.totalMinor = line.totalMinor
            return item
        }
        message.totalMinor = totalMinor
        message.paidMinor = paidMinor
        message.orderTime = .init(microsecondDate: orderTime)
        message.createTime = .init(microsecondDate: createTime)
        message.updateTime = .init(microsecondDate: updateTime)
        message.etag = etag
        return message
    }
}

extension Payment {
    init(_ message: Crm_V1_Payment, orderID: Int64) {
        self.init(
            orderID: orderID,
            orderExternalID: message.orderExternalID,
            externalID: message.externalID,
            amountMinor: message.amountMinor,
            currencyCode: message.currencyCode,
            paidTime: message.hasPaidTime ? message.paidTime.microsecondDate : Date(timeIntervalSince1970: 0),
            method: message.method
        )
    }

    var message: Crm_V1_Payment {
        var message = Crm_V1_Payment()
        message.name = resourceName
        message.order = ResourceName.order(orderID)
        message.orderExternalID = orderExternalID
        message.externalID = externalID
        message.amountMinor = amountMinor
        message.currencyCode = currencyCode
        message.paidTime = .init(microsecondDate: paidTime)
        message.method = method
        message.customer = ResourceName.customer(customerID)
        message.createTime = .init(microsecondDate: createTime)
        message.updateTime = .init(microsecondDate: updateTime)
        message.etag = etag
        return message
    }
}

extension Interaction {
    init(_ message: Crm_V1_Interaction, customerID: Int64) {
        self.init(
            customerID: customerID,
            customerExternalID: message.customerExternalID,
            externalID: message.externalID,
            kind: InteractionKind(rawValue: message.kind.rawValue) ?? .unspecified,
            direction: Direction(rawValue: message.direction.rawValue) ?? .unspecified,
            occurTime: message.hasOccurTime ? message.occurTime.microsecondDate : Date(timeIntervalSince1970: 0),
            subject: message.subject,
            body: message.body,
            outcome: message.outcome,
            topic: message.topic,
            durationSeconds: message.durationSeconds
        )
    }

    var message: Crm_V1_Interaction {
        var message = Crm_V1_Interaction()
        message.name = resourceName
        message.customer = ResourceName.customer(customerID)
        message.customerExternalID = customerExternalID
        message.externalID = externalID
        message.kind = Crm_V1_InteractionKind(rawValue: kind.rawValue) ?? .unspecified
        message.direction = Crm_V1_Direction(rawValue: direction.rawValue) ?? .unspecified
        message.occurTime = .init(microsecondDate: occurTime)
        message.subject = subject
        message.body = body
        message.outcome = outcome
        message.topic = topic
        message.durationSeconds = durationSeconds
        message.createTime = .init(microsecondDate: createTime)
        message.updateTime = .init(microsecondDate: updateTime)
        message.etag = etag
        return message
    }
}
