import Testing

@testable import crmctl

@Suite("TextTable and DisplayWidth")
struct TextTableTests {
    @Test("display width counts wide characters twice and combining marks not at all")
    func widths() {
        #expect(DisplayWidth.of("Müller") == 6)
        #expect(DisplayWidth.of("東京") == 4)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("🎉") == 2)
        #expect(DisplayWidth.of("") == 0)
    }

    @Test("truncation stays within the width and ends in an ellipsis")
    func truncate() {
        #expect(DisplayWidth.truncate("abcdef", to: 4) == "abc…")
        #expect(DisplayWidth.truncate("abc", to: 4) == "abc")
        #expect(DisplayWidth.truncate("東京都庁", to: 5) == "東京…")
        #expect(DisplayWidth.of(DisplayWidth.truncate("東京都庁", to: 5)) <= 5)
    }

    @Test("columns line up by display width, not bytes or characters")
    func alignment() {
        let table = TextTable(headers: ["NAME", "CITY", "X"], rows: [["Müller", "東京", "1"], ["Li", "Köln", "2"]])
        let lines = table.render().split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        // The third column starts at the same display column on every line.
        let starts = lines.map { line -> Int in
            var width = 0
            var seenCells = 0
            var previousWasSpace = false
            for character in line {
                if character != " ", previousWasSpace, width > 0 {
                    seenCells += 1
                    if seenCells == 2 { return width }
                }
                previousWasSpace = character == " "
                width += DisplayWidth.of(character)
            }
            return -1
        }
        #expect(starts == [starts[0], starts[0], starts[0]])
        #expect(starts[0] == 6 + 2 + 4 + 2)
    }

    @Test("cells are capped at the maximum width and kept on one line")
    func capped() {
        let table = TextTable(
            headers: ["A", "B"],
            rows: [[String(repeating: "x", count: 100), "two\nlines"]],
            maxColumnWidth: 10
        )
        let lines = table.render().split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines[1] == "xxxxxxxxx…  two lines")
    }
}
