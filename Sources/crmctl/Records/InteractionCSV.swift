import CRMProto

/// Interactions in CSV: one row per interaction; `body` is optional and written last.
enum InteractionCSV: CSVSchema {
    typealias Record = Crm_V1_Interaction

    static let noun = "interactions"
    static let requiredColumns = ["customer_external_id", "kind", "occur_time"]
    static let columns = [
        "external_id", "customer_external_id", "kind", "direction", "occur_time", "subject", "outcome", "topic",
        "duration_seconds", "body",
    ]

    static func rows(for interaction: Crm_V1_Interaction, header: [String]) -> [[String]] {
        [
            [
                interaction.externalID, interaction.customerExternalID, interaction.kind.label,
                interaction.direction.label, RFC3339.format(interaction.occurTime, isSet: interaction.hasOccurTime),
                interaction.subject, interaction.outcome, interaction.topic,
                String(interaction.durationSeconds), interaction.body,
            ]
        ]
    }

    static func decodeRows(of table: CSVTable) -> DecodedFile<Crm_V1_Interaction> {
        var file = DecodedFile<Crm_V1_Interaction>()
        for record in table.records {
            file.rowCount += 1
            if let error = fieldCountError(record, in: table) {
                file.errors.append(error)
                continue
            }
            var row = RowReader(record: record, table: table)
            var interaction = Crm_V1_Interaction()
            interaction.externalID = row.text("external_id")
            interaction.customerExternalID = row.text("customer_external_id")
            if let kind = row.value("kind", Crm_V1_InteractionKind.parse(label:)) {
                interaction.kind = kind
            }
            if let direction = row.value("direction", Crm_V1_Direction.parse(label:)) {
                interaction.direction = direction
            }
            if let time = row.value("occur_time", RFC3339.parseOptional), let time {
                interaction.occurTime = time
            }
            interaction.subject = row.text("subject")
            interaction.outcome = row.text("outcome")
            interaction.topic = row.text("topic")
            if let duration = row.value("duration_seconds", Cell.optionalInt32) {
                interaction.durationSeconds = duration
            }
            interaction.body = row.text("body")
            if row.errors.isEmpty {
                file.records.append(interaction)
                file.lines.append([record.line])
            } else {
                file.errors += row.errors
            }
        }
        return file
    }
}
