import CRMCore
import Testing

@Suite("ClassIndex")
struct PreprocessingClassIndexTests {
    @Test("integer labels sort numerically, as LabelEncoder on a numeric column")
    func numeric() {
        // scikit-learn 1.9.1: LabelEncoder().fit([10, 9, 2, -1]).classes_ == [-1, 2, 9, 10].
        let index = ClassIndex(labels: ["10", "9", "2", "-1", "9", "10"])
        #expect(index.names == ["-1", "2", "9", "10"])
        #expect(
            ClassIndex(labels: ["100000000000000000000000", "99", "-100000000000000000000000", "+5", "05"]).names
                == ["-100000000000000000000000", "+5", "05", "99", "100000000000000000000000"]
        )
    }

    @Test("any other label makes the order textual, as numpy.unique on strings")
    func textual() {
        // scikit-learn 1.9.1: LabelEncoder().fit(["10", "9", "2", "b"]).classes_ == ['10', '2', '9', 'b'].
        #expect(ClassIndex(labels: ["10", "9", "2", "b"]).names == ["10", "2", "9", "b"])
        #expect(ClassIndex(labels: ["b", "a", "Z", "é", "f"]).names == ["Z", "a", "b", "f", "é"])
    }

    @Test("encodes and decodes")
    func encode() {
        let index = ClassIndex(labels: ["churn", "stay", "churn"])
        #expect(index.count == 2)
        #expect(index.encode(["stay", "churn", "stay"]) == [1, 0, 1])
        #expect(index.encode(["stay", "unknown"]) == nil)
        #expect(index.index(of: "stay") == 1)
        #expect(index.decode([0, 1]) == ["churn", "stay"])
    }
}
