import Foundation

/// Countries as ISO 3166-1 alpha-2 codes (`DE`, `US`, `GB`), the form addresses and phone numbers use.
public enum CountryCode {
    /// Every officially assigned ISO 3166-1 alpha-2 code (all 249 of them).
    ///
    /// User-assigned codes such as `XK` (Kosovo) and exceptionally reserved ones such as `UK` or `EU`
    /// are not countries in the standard and are rejected.
    static let all: Set<String> = [
        "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
        "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
        "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
        "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
        "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
        "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
        "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
        "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
        "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
        "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
        "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
        "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
        "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
        "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
        "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
        "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
    ]

    /// Common mistakes, answered with the code that was probably meant.
    private static let likelyMeant: [String: String] = ["UK": "GB", "EL": "GR"]

    /// The code in its stored form: trimmed and upper-cased.
    ///
    /// - Parameters:
    ///   - raw: the code as the client sent it; an empty or blank value means "unknown country".
    ///   - field: the path of the field in the request, named in the error.
    /// - Returns: the upper-case code, or an empty string when `raw` is blank.
    /// - Throws: ``CRMError`` (`invalidArgument`) naming `field` when the code is not a current ISO 3166-1 code.
    public static func normalized(_ raw: String, field: String) throws -> String {
        let code = raw.trimmed.uppercased()
        if code.isEmpty {
            return ""
        }
        guard code.count == 2, code.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            throw CRMError.invalid(
                field,
                "must be a two-letter ISO 3166-1 country code such as DE or US (got \"\(raw.prefix(40))\")"
            )
        }
        guard all.contains(code) else {
            let hint = likelyMeant[code].map { "; did you mean \($0)?" } ?? ""
            throw CRMError.invalid(field, "is not a known ISO 3166-1 country code (got \"\(code)\")\(hint)")
        }
        return code
    }

    /// Whether `code` is an assigned ISO 3166-1 alpha-2 code; it must already be upper case.
    public static func isKnown(_ code: String) -> Bool {
        all.contains(code)
    }
}
