/// The fixed lists the demo generator draws from.
enum DemoCatalog {
    static let products: [DemoProduct] = [
        DemoProduct(
            sku: "SW-OFF-STD",
            name: "Office Suite Standard (seat/year)",
            category: .software,
            price: 149,
            quantity: 5...40,
            scales: true,
            subscription: true,
            popularity: 5
        ),
        DemoProduct(
            sku: "SW-OFF-PRO",
            name: "Office Suite Pro (seat/year)",
            category: .software,
            price: 249,
            quantity: 3...30,
            scales: true,
            subscription: true,
            popularity: 3
        ),
        DemoProduct(
            sku: "SW-CRM-SEAT",
            name: "CRM Professional (seat/year)",
            category: .software,
            price: 890,
            quantity: 2...20,
            scales: true,
            subscription: true,
            popularity: 2
        ),
        DemoProduct(
            sku: "SW-ERP-FIN",
            name: "ERP Module Finance",
            category: .software,
            price: 4900,
            quantity: 1...1,
            scales: false,
            subscription: false,
            popularity: 1
        ),
        DemoProduct(
            sku: "SW-CAD-DSG",
            name: "CAD Designer License",
            category: .software,
            price: 1990,
            quantity: 1...5,
            scales: true,
            subscription: false,
            popularity: 1
        ),
        DemoProduct(
            sku: "HW-LAP-14",
            name: "Business Laptop 14\"",
            category: .hardware,
            price: 1099,
            quantity: 1...15,
            scales: true,
            subscription: false,
            popularity: 5
        ),
        DemoProduct(
            sku: "HW-MON-27",
            name: "Monitor 27\" 4K",
            category: .hardware,
            price: 379,
            quantity: 2...20,
            scales: true,
            subscription: false,
            popularity: 4
        ),
        DemoProduct(
            sku: "HW-DOC-USBC",
            name: "USB-C Docking Station",
            category: .hardware,
            price: 189,
            quantity: 2...20,
            scales: true,
            subscription: false,
            popularity: 3
        ),
        DemoProduct(
            sku: "HW-SRV-R2",
            name: "Rack Server R2",
            category: .hardware,
            price: 6400,
            quantity: 1...2,
            scales: true,
            subscription: false,
            popularity: 1
        ),
        DemoProduct(
            sku: "HW-PRN-MF",
            name: "Multifunction Printer",
            category: .hardware,
            price: 899,
            quantity: 1...3,
            scales: true,
            subscription: false,
            popularity: 2
        ),
        DemoProduct(
            sku: "HW-NET-48",
            name: "Network Switch, 48 Ports",
            category: .hardware,
            price: 1450,
            quantity: 1...4,
            scales: true,
            subscription: false,
            popularity: 1
        ),
        DemoProduct(
            sku: "CS-DAY-SR",
            name: "Senior Consultant Day",
            category: .consulting,
            price: 1350,
            quantity: 1...10,
            scales: true,
            subscription: false,
            popularity: 5
        ),
        DemoProduct(
            sku: "CS-WS-ARCH",
            name: "Architecture Workshop",
            category: .consulting,
            price: 4800,
            quantity: 1...1,
            scales: false,
            subscription: false,
            popularity: 2
        ),
        DemoProduct(
            sku: "CS-PRJ-MIG",
            name: "Migration Project Package",
            category: .consulting,
            price: 18500,
            quantity: 1...1,
            scales: false,
            subscription: false,
            popularity: 1
        ),
        DemoProduct(
            sku: "CS-AUD-IT",
            name: "IT Audit",
            category: .consulting,
            price: 7200,
            quantity: 1...1,
            scales: false,
            subscription: false,
            popularity: 1
        ),
        DemoProduct(
            sku: "TR-ONL-BAS",
            name: "Online Course: Basics",
            category: .training,
            price: 290,
            quantity: 1...15,
            scales: true,
            subscription: false,
            popularity: 4
        ),
        DemoProduct(
            sku: "TR-CLS-ADV",
            name: "Classroom Training: Advanced",
            category: .training,
            price: 1190,
            quantity: 1...8,
            scales: true,
            subscription: false,
            popularity: 3
        ),
        DemoProduct(
            sku: "TR-CERT-ADM",
            name: "Administrator Certification",
            category: .training,
            price: 1650,
            quantity: 1...4,
            scales: true,
            subscription: false,
            popularity: 2
        ),
        DemoProduct(
            sku: "TR-WS-TEAM",
            name: "Team Workshop (1 day)",
            category: .training,
            price: 2400,
            quantity: 1...1,
            scales: false,
            subscription: false,
            popularity: 2
        ),
        DemoProduct(
            sku: "SP-BAS-12",
            name: "Basic Support, 12 Months",
            category: .support,
            price: 990,
            quantity: 1...1,
            scales: false,
            subscription: true,
            popularity: 4
        ),
        DemoProduct(
            sku: "SP-PRE-12",
            name: "Premium Support, 12 Months",
            category: .support,
            price: 3900,
            quantity: 1...1,
            scales: false,
            subscription: true,
            popularity: 2
        ),
        DemoProduct(
            sku: "SP-HW-EXT",
            name: "Hardware Warranty Extension",
            category: .support,
            price: 149,
            quantity: 1...15,
            scales: true,
            subscription: false,
            popularity: 3
        ),
        DemoProduct(
            sku: "SP-INC-5",
            name: "Incident Pack (5 incidents)",
            category: .support,
            price: 650,
            quantity: 1...3,
            scales: false,
            subscription: false,
            popularity: 2
        ),
        DemoProduct(
            sku: "OS-PAP-A4",
            name: "Copy Paper A4, Box of 2,500",
            category: .officeSupplies,
            price: 32.90,
            quantity: 5...60,
            scales: true,
            subscription: false,
            popularity: 5
        ),
        DemoProduct(
            sku: "OS-TON-BK",
            name: "Toner Cartridge, Black",
            category: .officeSupplies,
            price: 89.50,
            quantity: 2...20,
            scales: true,
            subscription: false,
            popularity: 4
        ),
        DemoProduct(
            sku: "OS-CHR-ERG",
            name: "Ergonomic Office Chair",
            category: .officeSupplies,
            price: 429,
            quantity: 1...12,
            scales: true,
            subscription: false,
            popularity: 2
        ),
        DemoProduct(
            sku: "OS-DSK-HAD",
            name: "Height-Adjustable Desk",
            category: .officeSupplies,
            price: 649,
            quantity: 1...10,
            scales: true,
            subscription: false,
            popularity: 2
        ),
        DemoProduct(
            sku: "OS-SET-STA",
            name: "Stationery Set",
            category: .officeSupplies,
            price: 24.90,
            quantity: 5...50,
            scales: true,
            subscription: false,
            popularity: 3
        ),
        DemoProduct(
            sku: "CL-VM-STD",
            name: "Cloud VM Standard (month)",
            category: .cloud,
            price: 79,
            quantity: 2...24,
            scales: true,
            subscription: false,
            popularity: 4
        ),
        DemoProduct(
            sku: "CL-STO-1TB",
            name: "Cloud Storage 1 TB (month)",
            category: .cloud,
            price: 23,
            quantity: 3...36,
            scales: true,
            subscription: false,
            popularity: 3
        ),
        DemoProduct(
            sku: "CL-BKP-PRO",
            name: "Managed Backup Pro (year)",
            category: .cloud,
            price: 1490,
            quantity: 1...1,
            scales: false,
            subscription: true,
            popularity: 2
        ),
        DemoProduct(
            sku: "CL-K8S",
            name: "Managed Kubernetes Cluster (month)",
            category: .cloud,
            price: 540,
            quantity: 1...12,
            scales: true,
            subscription: false,
            popularity: 1
        ),
        DemoProduct(
            sku: "SC-EDR-SEAT",
            name: "Endpoint Protection (seat/year)",
            category: .security,
            price: 49,
            quantity: 10...200,
            scales: true,
            subscription: true,
            popularity: 4
        ),
        DemoProduct(
            sku: "SC-FW-APP",
            name: "Firewall Appliance",
            category: .security,
            price: 3200,
            quantity: 1...2,
            scales: true,
            subscription: false,
            popularity: 2
        ),
        DemoProduct(
            sku: "SC-PEN-TEST",
            name: "Penetration Test",
            category: .security,
            price: 8900,
            quantity: 1...1,
            scales: false,
            subscription: false,
            popularity: 1
        ),
        DemoProduct(
            sku: "SC-MFA-USR",
            name: "MFA Tokens (user/year)",
            category: .security,
            price: 29,
            quantity: 10...150,
            scales: true,
            subscription: true,
            popularity: 2
        ),
        DemoProduct(
            sku: "SC-AWR-TRN",
            name: "Security Awareness Training (user)",
            category: .security,
            price: 39,
            quantity: 10...120,
            scales: true,
            subscription: false,
            popularity: 2
        ),
    ]

    //                                             sw   hw   cons train sup  office cloud sec
    static let industries: [DemoIndustry] = [
        DemoIndustry(
            id: "software",
            weight: 12,
            nouns: ["Software", "Systems", "Digital", "Labs", "Technologies"],
            affinity: [3.0, 1.5, 0.5, 1.0, 1.0, 0.5, 4.0, 2.0],
            segments: [0.55, 0.3, 0.15]
        ),
        DemoIndustry(
            id: "manufacturing",
            weight: 14,
            nouns: ["Manufacturing", "Industries", "Components", "Engineering", "Werke"],
            affinity: [1.0, 4.0, 1.5, 1.0, 2.0, 1.0, 0.5, 1.0],
            segments: [0.45, 0.35, 0.2]
        ),
        DemoIndustry(
            id: "retail",
            weight: 11,
            nouns: ["Retail", "Stores", "Trading", "Market", "Outlet"],
            affinity: [1.5, 2.5, 0.5, 0.5, 1.0, 2.0, 1.5, 1.5],
            segments: [0.6, 0.3, 0.1]
        ),
        DemoIndustry(
            id: "healthcare",
            weight: 9,
            nouns: ["Clinic", "Health", "Medical", "Care", "Pharma"],
            affinity: [1.5, 2.0, 1.0, 1.5, 1.5, 1.0, 1.0, 3.0],
            segments: [0.5, 0.3, 0.2]
        ),
        DemoIndustry(
            id: "finance",
            weight: 8,
            nouns: ["Finance", "Capital", "Insurance", "Invest", "Bank"],
            affinity: [2.0, 1.0, 2.0, 1.0, 1.0, 0.5, 2.0, 4.0],
            segments: [0.4, 0.35, 0.25]
        ),
        DemoIndustry(
            id: "education",
            weight: 7,
            nouns: ["Academy", "Institute", "School", "College", "Learning"],
            affinity: [1.5, 2.0, 0.5, 3.0, 1.0, 2.0, 1.0, 0.5],
            segments: [0.5, 0.35, 0.15]
        ),
        DemoIndustry(
            id: "logistics",
            weight: 9,
            nouns: ["Logistics", "Transport", "Freight", "Shipping", "Cargo"],
            affinity: [1.5, 3.0, 1.0, 0.5, 2.0, 1.0, 1.5, 0.5],
            segments: [0.5, 0.35, 0.15]
        ),
        DemoIndustry(
            id: "professional-services",
            weight: 12,
            nouns: ["Consulting", "Advisory", "Legal", "Associates", "Partners"],
            affinity: [2.0, 1.0, 1.0, 2.0, 0.5, 2.0, 1.5, 1.0],
            segments: [0.7, 0.25, 0.05]
        ),
        DemoIndustry(
            id: "hospitality",
            weight: 8,
            nouns: ["Hotels", "Hospitality", "Restaurants", "Resorts", "Catering"],
            affinity: [1.0, 1.5, 0.5, 1.5, 1.0, 3.0, 0.5, 0.5],
            segments: [0.75, 0.2, 0.05]
        ),
        DemoIndustry(
            id: "public-sector",
            weight: 5,
            nouns: ["Public Services", "Utilities", "Agency", "Authority", "Transit"],
            affinity: [1.5, 2.0, 2.5, 2.0, 1.5, 1.5, 0.3, 2.0],
            segments: [0.2, 0.4, 0.4]
        ),
    ]

    /// What tends to follow a purchase of each category, by category (raw values as rows and columns).
    ///
    /// Hardware is followed by support and security, software by training and cloud, consulting
    /// by software: this is the sequence structure a next-purchase model can learn.
    static let transitions: [[Double]] = [
        //  sw   hw   cons train sup  office cloud sec
        [1.0, 0.3, 0.3, 3.0, 2.0, 0.2, 2.0, 1.0],  // after software
        [1.5, 1.0, 0.2, 0.5, 3.0, 0.5, 0.3, 2.0],  // after hardware
        [3.0, 0.5, 1.0, 2.0, 0.3, 0.2, 2.0, 0.5],  // after consulting
        [1.0, 0.3, 1.0, 1.0, 0.5, 0.3, 0.5, 0.3],  // after training
        [1.0, 1.5, 0.3, 0.3, 1.0, 0.3, 0.5, 0.5],  // after support
        [0.2, 0.5, 0.1, 0.1, 0.1, 4.0, 0.1, 0.1],  // after office supplies
        [0.5, 0.2, 0.5, 1.0, 0.3, 0.1, 2.0, 3.0],  // after cloud
        [0.3, 0.3, 1.0, 2.0, 1.0, 0.1, 0.5, 1.0],  // after security
    ]

    /// Seasonality per category (rows) and month (columns, January first).
    static let categorySeasons: [[Double]] = [
        [1.5, 1.0, 1.0, 1.0, 0.9, 0.9, 0.8, 0.7, 1.0, 1.0, 1.1, 1.3],  // software: January renewals, year-end budgets
        [0.8, 0.9, 1.0, 0.9, 0.9, 0.9, 0.8, 0.6, 1.0, 1.1, 1.6, 1.8],  // hardware: year-end budget flush
        [1.2, 1.1, 1.1, 1.0, 1.0, 1.0, 0.7, 0.5, 1.1, 1.1, 1.0, 0.6],  // consulting
        [0.9, 1.3, 1.3, 1.0, 1.0, 0.8, 0.5, 0.3, 1.5, 1.4, 1.0, 0.5],  // training: spring and autumn terms
        [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],  // support
        [1.2, 1.0, 1.0, 1.0, 1.0, 0.9, 0.8, 0.7, 1.3, 1.0, 1.0, 0.9],  // office supplies: back to work in September
        [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],  // cloud
        [1.0, 1.0, 1.0, 1.0, 1.0, 0.9, 0.8, 0.8, 1.0, 1.3, 1.2, 1.0],  // security: awareness month in October
    ]

    /// Change of each category's share per year (linear): cloud and security grow, paper shrinks.
    static let categoryTrends: [Double] = [0.05, 0.0, 0.0, 0.05, 0.0, -0.12, 0.35, 0.2]

    /// Overall order frequency by month.
    static let monthActivity: [Double] = [0.9, 0.95, 1.1, 1.0, 1.0, 1.0, 0.85, 0.7, 1.1, 1.1, 1.2, 1.25]

    /// Yearly price increase of the list prices.
    static let priceIncreasePerYear = 0.03

    /// Rough EUR exchange rates for `--currency`; others are taken 1:1.
    static let eurRates: [String: Double] = [
        "EUR": 1, "USD": 1.08, "GBP": 0.86, "CHF": 0.95, "SEK": 11.4, "DKK": 7.46, "NOK": 11.6, "PLN": 4.35,
        "CZK": 25.2, "HUF": 395, "JPY": 162, "KRW": 1450, "CNY": 7.8, "INR": 90, "CAD": 1.47, "AUD": 1.64,
        "BRL": 5.9, "MXN": 18.6, "KWD": 0.33, "BHD": 0.41, "OMR": 0.42, "JOD": 0.77, "TND": 3.4, "ISK": 150,
        "CLP": 1000, "VND": 27000,
    ]

    static let tagsBySource: [(String, Double)] = [
        ("source:web", 35), ("source:trade-fair", 25), ("source:referral", 20), ("source:outbound", 20),
    ]

    static let wordPrefixes = [
        "Nord", "Alpen", "Blue", "Delta", "Nova", "Orion", "Apex", "Vertex", "Summit", "Atlas", "Polar", "Cedar",
        "Falcon", "Helix", "Lumen", "Quantum", "Silver", "Terra", "Vega", "Zenit", "Rhein", "Baltic", "Iberia",
        "Alto", "Kite", "Meridian", "Pioneer", "Horizon", "Granite", "Harbor",
    ]

    static let countries: [DemoCountry] = [
        DemoCountry(
            code: "DE",
            weight: 28,
            callingCode: "49",
            subscriberDigits: 7,
            cities: [
                DemoCity(name: "Berlin", region: "Berlin", postalCodes: ["10115", "10437", "12043"], area: "30"),
                DemoCity(name: "Hamburg", region: "Hamburg", postalCodes: ["20095", "22765"], area: "40"),
                DemoCity(name: "München", region: "Bayern", postalCodes: ["80331", "81369"], area: "89"),
                DemoCity(name: "Köln", region: "Nordrhein-Westfalen", postalCodes: ["50667", "50823"], area: "221"),
                DemoCity(name: "Frankfurt am Main", region: "Hessen", postalCodes: ["60311", "60486"], area: "69"),
                DemoCity(name: "Stuttgart", region: "Baden-Württemberg", postalCodes: ["70173", "70469"], area: "711"),
                DemoCity(
                    name: "Düsseldorf",
                    region: "Nordrhein-Westfalen",
                    postalCodes: ["40213", "40476"],
                    area: "211"
                ),
                DemoCity(name: "Leipzig", region: "Sachsen", postalCodes: ["04109", "04275"], area: "341"),
            ],
            firstNames: [
                "Anna", "Lukas", "Sophie", "Jonas", "Marie", "Felix", "Laura", "Paul", "Lena", "Maximilian",
                "Katharina", "Tobias", "Jürgen", "Sabine",
            ],
            lastNames: [
                "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann", "Schulz",
                "Koch", "Richter", "Krüger", "Weiß",
            ],
            legalForms: ["GmbH", "GmbH", "AG", "GmbH & Co. KG"],
            streets: [
                "Hauptstraße", "Bahnhofstraße", "Gartenweg", "Schillerstraße", "Lindenallee", "Industriestraße",
                "Am Markt",
            ],
            numberFirst: false,
            tld: "de",
            webmail: ["gmx.de", "web.de", "t-online.de"],
            salesRegion: "dach"
        ),
        DemoCountry(
            code: "AT",
            weight: 5,
            callingCode: "43",
            subscriberDigits: 6,
            cities: [
                DemoCity(name: "Wien", region: "Wien", postalCodes: ["1010", "1060", "1100"], area: "1"),
                DemoCity(name: "Graz", region: "Steiermark", postalCodes: ["8010", "8020"], area: "316"),
                DemoCity(name: "Linz", region: "Oberösterreich", postalCodes: ["4020"], area: "732"),
                DemoCity(name: "Salzburg", region: "Salzburg", postalCodes: ["5020"], area: "662"),
            ],
            firstNames: ["Lukas", "Anna", "David", "Lea", "Florian", "Sarah", "Stefan", "Julia"],
            lastNames: ["Gruber", "Huber", "Bauer", "Wagner", "Pichler", "Steiner", "Moser", "Hofer"],
            legalForms: ["GmbH", "AG"],
            streets: ["Hauptplatz", "Mariahilfer Straße", "Landstraße", "Kirchengasse", "Ringstraße"],
            numberFirst: false,
            tld: "at",
            webmail: ["gmx.at", "aon.at"],
            salesRegion: "dach"
        ),
        DemoCountry(
            code: "CH",
            weight: 5,
            callingCode: "41",
            subscriberDigits: 7,
            cities: [
                DemoCity(name: "Zürich", region: "ZH", postalCodes: ["8001", "8005"], area: "44"),
                DemoCity(name: "Basel", region: "BS", postalCodes: ["4051"], area: "61"),
                DemoCity(name: "Bern", region: "BE", postalCodes: ["3011"], area: "31"),
                DemoCity(name: "Genève", region: "GE", postalCodes: ["1201", "1204"], area: "22"),
            ],
            firstNames: ["Luca", "Mia", "Noah", "Lara", "Nico", "Elena", "Reto", "Sandra"],
            lastNames: ["Meier", "Keller", "Brunner", "Baumann", "Frei", "Zimmermann", "Favre", "Rochat"],
            legalForms: ["AG", "GmbH", "SA"],
            streets: ["Bahnhofstrasse", "Seestrasse", "Dorfstrasse", "Rue du Rhône", "Marktgasse"],
            numberFirst: false,
            tld: "ch",
            webmail: ["bluewin.ch", "gmx.ch"],
            salesRegion: "dach"
        ),
        DemoCountry(
            code: "FR",
            weight: 11,
            callingCode: "33",
            subscriberDigits: 8,
            cities: [
                DemoCity(name: "Paris", region: "Île-de-France", postalCodes: ["75002", "75011", "75015"], area: "1"),
                DemoCity(name: "Lyon", region: "Auvergne-Rhône-Alpes", postalCodes: ["69002", "69007"], area: "4"),
                DemoCity(
                    name: "Marseille",
                    region: "Provence-Alpes-Côte d'Azur",
                    postalCodes: ["13001", "13008"],
                    area: "4"
                ),
                DemoCity(name: "Toulouse", region: "Occitanie", postalCodes: ["31000"], area: "5"),
                DemoCity(name: "Nantes", region: "Pays de la Loire", postalCodes: ["44000"], area: "2"),
                DemoCity(name: "Lille", region: "Hauts-de-France", postalCodes: ["59000"], area: "3"),
            ],
            firstNames: [
                "Camille", "Louis", "Léa", "Hugo", "Chloé", "Gabriel", "Manon", "Arthur", "Inès", "Jules", "Élodie",
                "François",
            ],
            lastNames: [
                "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
                "Lefèvre", "Girard",
            ],
            legalForms: ["SAS", "SARL", "SA"],
            streets: [
                "rue de la République", "avenue Victor Hugo", "boulevard Voltaire", "rue Pasteur", "place du Marché",
            ],
            numberFirst: true,
            tld: "fr",
            webmail: ["orange.fr", "free.fr", "laposte.net"],
            salesRegion: "france"
        ),
        DemoCountry(
            code: "GB",
            weight: 10,
            callingCode: "44",
            subscriberDigits: 7,
            cities: [
                DemoCity(
                    name: "London",
                    region: "England",
                    postalCodes: ["EC1A 1BB", "SE1 9SG", "N1 7GU"],
                    area: "207"
                ),
                DemoCity(name: "Manchester", region: "England", postalCodes: ["M1 1AE", "M4 6FA"], area: "161"),
                DemoCity(name: "Birmingham", region: "England", postalCodes: ["B1 1AA", "B3 2PP"], area: "121"),
                DemoCity(name: "Edinburgh", region: "Scotland", postalCodes: ["EH1 1YZ", "EH3 9QG"], area: "131"),
                DemoCity(name: "Bristol", region: "England", postalCodes: ["BS1 4DJ"], area: "117"),
                DemoCity(name: "Leeds", region: "England", postalCodes: ["LS1 4AP"], area: "113"),
            ],
            firstNames: [
                "Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Emily", "Charlie", "Sophie", "Thomas",
                "Grace",
            ],
            lastNames: [
                "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Evans", "Thomas",
                "Roberts", "Walker",
            ],
            legalForms: ["Ltd", "Ltd", "PLC", "LLP"],
            streets: ["High Street", "Station Road", "Church Lane", "Victoria Road", "Park Avenue", "Mill Lane"],
            numberFirst: true,
            tld: "co.uk",
            webmail: ["btinternet.com", "outlook.com"],
            salesRegion: "uk-ireland"
        ),
        DemoCountry(
            code: "IE",
            weight: 2,
            callingCode: "353",
            subscriberDigits: 7,
            cities: [
                DemoCity(name: "Dublin", region: "Leinster", postalCodes: ["D02 X285", "D04 K7W2"], area: "1"),
                DemoCity(name: "Cork", region: "Munster", postalCodes: ["T12 RX2K"], area: "21"),
                DemoCity(name: "Galway", region: "Connacht", postalCodes: ["H91 E2K3"], area: "91"),
            ],
            firstNames: ["Aoife", "Seán", "Ciara", "Conor", "Niamh", "Darragh", "Siobhán", "Ciarán"],
            lastNames: ["Murphy", "Kelly", "O'Brien", "Walsh", "Byrne", "Ryan", "O'Connor", "Doyle"],
            legalForms: ["Ltd", "DAC"],
            streets: ["Main Street", "Grafton Street", "Patrick Street", "Shop Street", "Dock Road"],
            numberFirst: true,
            tld: "ie",
            webmail: ["eircom.net", "gmail.com"],
            salesRegion: "uk-ireland"
        ),
        DemoCountry(
            code: "NL",
            weight: 6,
            callingCode: "31",
            subscriberDigits: 7,
            cities: [
                DemoCity(name: "Amsterdam", region: "Noord-Holland", postalCodes: ["1012 AB", "1017 CE"], area: "20"),
                DemoCity(name: "Rotterdam", region: "Zuid-Holland", postalCodes: ["3011 AD", "3024 EA"], area: "10"),
                DemoCity(name: "Utrecht", region: "Utrecht", postalCodes: ["3511 LX"], area: "30"),
                DemoCity(name: "Eindhoven", region: "Noord-Brabant", postalCodes: ["5611 AZ"], area: "40"),
            ],
            firstNames: ["Daan", "Emma", "Sem", "Julia", "Lucas", "Tess", "Bram", "Fleur"],
            lastNames: ["de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer"],
            legalForms: ["B.V.", "B.V.", "N.V."],
            streets: ["Kerkstraat", "Dorpsstraat", "Stationsweg", "Molenstraat", "Keizersgracht"],
            numberFirst: false,
            tld: "nl",
            webmail: ["ziggo.nl", "kpnmail.nl"],
            salesRegion: "benelux"
        ),
        DemoCountry(
            code: "BE",
            weight: 3,
            callingCode: "32",
            subscriberDigits: 7,
            cities: [
                DemoCity(name: "Brussel", region: "Brussels", postalCodes: ["1000", "1050"], area: "2"),
                DemoCity(name: "Antwerpen", region: "Vlaanderen", postalCodes: ["2000", "2018"], area: "3"),
                DemoCity(name: "Gent", region: "Vlaanderen", postalCodes: ["9000"], area: "9"),
            ],
            firstNames: ["Lucas", "Emma", "Louis", "Olivia", "Noah", "Marie", "Wout", "Lotte"],
            lastNames: ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens"],
            legalForms: ["BV", "NV", "SRL"],
            streets: ["Kerkstraat", "Grote Markt", "Rue Neuve", "Meir", "Stationsstraat"],
            numberFirst: false,
            tld: "be",
            webmail: ["telenet.be", "skynet.be"],
            salesRegion: "benelux"
        ),
        DemoCountry(
            code: "SE",
            weight: 3,
            callingCode: "46",
            subscriberDigits: 7,
            cities: [
                DemoCity(name: "Stockholm", region: "Stockholms län", postalCodes: ["111 20", "114 35"], area: "8"),
                DemoCity(name: "Göteborg", region: "Västra Götalands län", postalCodes: ["411 01"], area: "31"),
                DemoCity(name: "Malmö", region: "Skåne län", postalCodes: ["211 20"], area: "40"),
            ],
            firstNames: ["Erik", "Anna", "Lars", "Karin", "Johan", "Elin", "Björn", "Sofia"],
            lastNames: ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson"],
            legalForms: ["AB"],
            streets: ["Storgatan", "Drottninggatan", "Kungsgatan", "Skolgatan", "Västra Hamngatan"],
            numberFirst: false,
            tld: "se",
            webmail: ["telia.com", "gmail.com"],
            salesRegion: "nordics"
        ),
        DemoCountry(
            code: "DK",
            weight: 2,
            callingCode: "45",
            subscriberDigits: 6,
            cities: [
                DemoCity(name: "København", region: "Hovedstaden", postalCodes: ["1050", "2100"], area: "33"),
                DemoCity(name: "Aarhus", region: "Midtjylland", postalCodes: ["8000"], area: "86"),
            ],
            firstNames: ["Mads", "Freja", "Søren", "Ida", "Rasmus", "Mette", "Anders", "Sofie"],
            lastNames: ["Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen"],
            legalForms: ["ApS", "A/S"],
            streets: ["Vestergade", "Østergade", "Nørregade", "Strandvejen", "Algade"],
            numberFirst: false,
            tld: "dk",
            webmail: ["mail.dk", "gmail.com"],
            salesRegion: "nordics"
        ),
        DemoCountry(
            code: "ES",
            weight: 5,
            callingCode: "34",
            subscriberDigits: 7,
            cities: [
                DemoCity(name: "Madrid", region: "Comunidad de Madrid", postalCodes: ["28001", "28013"], area: "91"),
                DemoCity(name: "Barcelona", region: "Cataluña", postalCodes: ["08001", "08013"], area: "93"),
                DemoCity(name: "Valencia", region: "Comunidad Valenciana", postalCodes: ["46001"], area: "96"),
                DemoCity(name: "Sevilla", region: "Andalucía", postalCodes: ["41001"], area: "95"),
            ],
            firstNames: ["Lucía", "Hugo", "Martina", "Pablo", "Sofía", "Alejandro", "Carmen", "Javier"],
            lastNames: ["García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez"],
            legalForms: ["S.L.", "S.A."],
            streets: ["Calle Mayor", "Gran Vía", "Calle de Alcalá", "Avenida de la Constitución", "Paseo de Gracia"],
            numberFirst: false,
            tld: "es",
            webmail: ["telefonica.net", "gmail.com"],
            salesRegion: "southern-europe"
        ),
        DemoCountry(
            code: "IT",
            weight: 5,
            callingCode: "39",
            subscriberDigits: 7,
            cities: [
                DemoCity(name: "Milano", region: "Lombardia", postalCodes: ["20121", "20135"], area: "02"),
                DemoCity(name: "Roma", region: "Lazio", postalCodes: ["00184", "00197"], area: "06"),
                DemoCity(name: "Torino", region: "Piemonte", postalCodes: ["10121"], area: "011"),
                DemoCity(name: "Bologna", region: "Emilia-Romagna", postalCodes: ["40121"], area: "051"),
            ],
            firstNames: ["Giulia", "Francesco", "Chiara", "Alessandro", "Sara", "Lorenzo", "Martina", "Matteo"],
            lastNames: ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci"],
            legalForms: ["S.r.l.", "S.p.A."],
            streets: ["Via Roma", "Via Garibaldi", "Corso Italia", "Via Dante", "Piazza del Duomo"],
            numberFirst: false,
            tld: "it",
            webmail: ["libero.it", "tiscali.it"],
            salesRegion: "southern-europe"
        ),
        DemoCountry(
            code: "PL",
            weight: 4,
            callingCode: "48",
            subscriberDigits: 7,
            cities: [
                DemoCity(name: "Warszawa", region: "mazowieckie", postalCodes: ["00-001", "02-675"], area: "22"),
                DemoCity(name: "Kraków", region: "małopolskie", postalCodes: ["30-001", "31-011"], area: "12"),
                DemoCity(name: "Wrocław", region: "dolnośląskie", postalCodes: ["50-001"], area: "71"),
                DemoCity(name: "Gdańsk", region: "pomorskie", postalCodes: ["80-001"], area: "58"),
            ],
            firstNames: ["Anna", "Piotr", "Katarzyna", "Tomasz", "Agnieszka", "Michał", "Magdalena", "Łukasz"],
            lastNames: [
                "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Zieliński", "Szymański",
            ],
            legalForms: ["sp. z o.o.", "S.A."],
            streets: ["ul. Długa", "ul. Marszałkowska", "ul. Floriańska", "ul. Piotrkowska", "ul. Świętojańska"],
            numberFirst: false,
            tld: "pl",
            webmail: ["wp.pl", "onet.pl"],
            salesRegion: "cee"
        ),
        DemoCountry(
            code: "CZ",
            weight: 2,
            callingCode: "420",
            subscriberDigits: 8,
            cities: [
                DemoCity(name: "Praha", region: "Praha", postalCodes: ["110 00", "120 00"], area: "2"),
                DemoCity(name: "Brno", region: "Jihomoravský kraj", postalCodes: ["602 00"], area: "5"),
            ],
            firstNames: ["Jan", "Tereza", "Petr", "Lucie", "Martin", "Eva", "Jakub", "Kateřina"],
            lastNames: ["Novák", "Svoboda", "Novotný", "Dvořák", "Černý", "Procházka", "Kučera", "Veselý"],
            legalForms: ["s.r.o.", "a.s."],
            streets: ["Náměstí Míru", "Vodičkova", "Nádražní", "Husova", "Masarykova"],
            numberFirst: false,
            tld: "cz",
            webmail: ["seznam.cz", "email.cz"],
            salesRegion: "cee"
        ),
        DemoCountry(
            code: "US",
            weight: 8,
            callingCode: "1",
            subscriberDigits: 7,
            cities: [
                DemoCity(name: "New York", region: "NY", postalCodes: ["10001", "10013"], area: "212"),
                DemoCity(name: "Chicago", region: "IL", postalCodes: ["60601", "60607"], area: "312"),
                DemoCity(name: "San Francisco", region: "CA", postalCodes: ["94103", "94110"], area: "415"),
                DemoCity(name: "Austin", region: "TX", postalCodes: ["78701"], area: "512"),
                DemoCity(name: "Boston", region: "MA", postalCodes: ["02108"], area: "617"),
                DemoCity(name: "Seattle", region: "WA", postalCodes: ["98101"], area: "206"),
            ],
            firstNames: [
                "James", "Mary", "Michael", "Jennifer", "David", "Sarah", "Robert", "Emily", "Daniel", "Jessica",
            ],
            lastNames: [
                "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Garcia", "Martinez", "Anderson",
            ],
            legalForms: ["Inc.", "LLC", "Corp."],
            streets: ["Main Street", "Oak Avenue", "Maple Drive", "Washington Street", "Market Street", "Broadway"],
            numberFirst: true,
            tld: "com",
            webmail: ["gmail.com", "outlook.com", "yahoo.com"],
            salesRegion: "north-america"
        ),
        DemoCountry(
            code: "CA",
            weight: 2,
            callingCode: "1",
            subscriberDigits: 7,
            cities: [
                DemoCity(name: "Toronto", region: "ON", postalCodes: ["M5H 2N2", "M5V 3L9"], area: "416"),
                DemoCity(name: "Vancouver", region: "BC", postalCodes: ["V6B 1A1"], area: "604"),
                DemoCity(name: "Montréal", region: "QC", postalCodes: ["H2Y 1C6"], area: "514"),
            ],
            firstNames: ["Liam", "Olivia", "Noah", "Emma", "William", "Charlotte", "Étienne", "Chloé"],
            lastNames: ["Tremblay", "Roy", "Wilson", "MacDonald", "Gagnon", "Smith", "Côté", "Campbell"],
            legalForms: ["Inc.", "Ltd."],
            streets: ["King Street", "Queen Street", "Rue Sainte-Catherine", "Granville Street", "Yonge Street"],
            numberFirst: true,
            tld: "ca",
            webmail: ["gmail.com", "rogers.com"],
            salesRegion: "north-america"
        ),
    ]
}
