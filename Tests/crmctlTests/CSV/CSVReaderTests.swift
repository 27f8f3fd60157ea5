import Testing

@testable import crmctl

@Suite("CSVReader")
struct CSVReaderTests {
    @Test("plain records keep their fields and start lines")
    func plainRecords() throws {
        let records = try CSVReader.records(in: "a,b,c\n1,2,3\n")
        #expect(
            records == [CSVRecord(fields: ["a", "b", "c"], line: 1), CSVRecord(fields: ["1", "2", "3"], line: 2)]
        )
    }

    @Test("empty fields, a trailing comma and a last line without a line break")
    func emptyFields() throws {
        let records = try CSVReader.records(in: "a,,b\nc,\n,d")
        #expect(records.map(\.fields) == [["a", "", "b"], ["c", ""], ["", "d"]])
    }

    @Test("quoted fields hold commas, doubled quotes and line breaks")
    func quotedFields() throws {
        let text = "id,text\n1,\"a, b\"\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n4,after\n"
        let records = try CSVReader.records(in: text)
        #expect(
            records.map(\.fields) == [
                ["id", "text"], ["1", "a, b"], ["2", "say \"hi\""], ["3", "two\nlines"], ["4", "after"],
            ]
        )
        // The record after a field spanning two lines starts on line 6, not 5.
        #expect(records.map(\.line) == [1, 2, 3, 4, 6])
    }

    @Test("CRLF, LF and a lone CR all end records; CRLF inside quotes is kept")
    func lineEndings() throws {
        let records = try CSVReader.records(in: "a\r\nb\nc\rd\r\n\"x\r\ny\",z\r\nlast")
        #expect(records.map(\.fields) == [["a"], ["b"], ["c"], ["d"], ["x\r\ny", "z"], ["last"]])
        #expect(records.map(\.line) == [1, 2, 3, 4, 5, 7])
    }

    @Test("a UTF-8 byte order mark is skipped")
    func byteOrderMark() throws {
        let records = try CSVReader.records(in: [0xEF, 0xBB, 0xBF] + Array("external_id,name\nC1,Zoë\n".utf8))
        #expect(records[0].fields == ["external_id", "name"])
        #expect(records[1].fields == ["C1", "Zoë"])
    }

    @Test("empty lines are skipped but counted")
    func emptyLines() throws {
        let records = try CSVReader.records(in: "h\n\n\r\nv\n\n")
        #expect(records == [CSVRecord(fields: ["h"], line: 1), CSVRecord(fields: ["v"], line: 4)])
    }

    @Test("an unclosed quote is reported on the line where the field starts")
    func unclosedQuote() {
        #expect(throws: CSVSyntaxError(line: 2, reason: "quoted field is not closed (a \" is missing)")) {
            try CSVReader.records(in: "a,b\n1,\"open\nmore\nstill open")
        }
    }

    @Test("text after a closing quote is an error")
    func textAfterQuote() {
        #expect(throws: CSVSyntaxError.self) {
            try CSVReader.records(in: "a\n\"x\"y\n")
        }
        do {
            _ = try CSVReader.records(in: "a\n\"x\"y\n")
        } catch {
            #expect(error.line == 2)
        }
    }

    @Test("invalid UTF-8 is an error on its record's line")
    func invalidUTF8() {
        #expect(throws: CSVSyntaxError(line: 2, reason: "not valid UTF-8")) {
            try CSVReader.records(in: Array("a\n".utf8) + [0xFF, 0xFE])
        }
    }

    @Test("iterating stops at an error and keeps it")
    func iteratorError() {
        var reader = CSVReader(text: "a\nb\n\"c")
        var fields: [[String]] = []
        while let record = reader.next() { fields.append(record.fields) }
        #expect(fields == [["a"], ["b"]])
        #expect(reader.error?.line == 3)
    }
}

@Suite("CSVWriter")
struct CSVWriterTests {
    @Test("only fields that need it are quoted")
    func quoting() {
        #expect(CSVWriter.escape("plain") == "plain")
        #expect(CSVWriter.escape("") == "")
        #expect(CSVWriter.escape("a,b") == "\"a,b\"")
        #expect(CSVWriter.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVWriter.escape("two\nlines") == "\"two\nlines\"")
        #expect(CSVWriter.escape("cr\r") == "\"cr\r\"")
        #expect(CSVWriter.escape(" spaced ") == " spaced ")
    }

    @Test("records end with LF; a lone empty field is written as \"\"")
    func records() {
        var writer = CSVWriter()
        writer.write(["a", "b"])
        writer.write([""])
        writer.write(["", ""])
        #expect(writer.text == "a,b\n\"\"\n,\n")
    }

    @Test("what the writer writes the reader reads back")
    func roundTrip() throws {
        let rows = [
            ["id", "text", "more"],
            ["1", "comma, inside", "quote \" inside"],
            ["2", "line\nbreak", "crlf\r\nbreak"],
            ["3", "", "東京 Zoë 🎉"],
            [""],
            ["", "", ""],
        ]
        var writer = CSVWriter()
        for row in rows { writer.write(row) }
        let records = try CSVReader.records(in: writer.text)
        #expect(records.map(\.fields) == rows)
        #expect(records.map(\.line) == [1, 2, 3, 6, 7, 8])
    }
}
