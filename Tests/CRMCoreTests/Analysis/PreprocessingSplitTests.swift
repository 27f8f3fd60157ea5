import CRMCore
import Testing

@Suite("StratifiedSplit and StratifiedKFold")
struct PreprocessingSplitTests {
    /// 60 rows of class 0, 30 of class 1, 10 of class 2, interleaved.
    static let labels: [Int] = (0..<100).map { $0 % 10 < 6 ? 0 : ($0 % 10 < 9 ? 1 : 2) }

    static func testCounts(_ isTest: [Bool], _ labels: [Int]) -> [Int] {
        var counts = [Int](repeating: 0, count: (labels.max() ?? -1) + 1)
        for (flag, label) in zip(isTest, labels) where flag { counts[label] += 1 }
        return counts
    }

    @Test("test set is ceil(n·fraction) rows, shared in proportion to the classes")
    func proportions() throws {
        let isTest = try StratifiedSplit.split(labels: Self.labels, seed: 42)
        #expect(isTest.count == 100)
        #expect(
            Self.testCounts(isTest, Self.labels) == [15, 8, 2] || Self.testCounts(isTest, Self.labels) == [15, 7, 3]
        )
        #expect(isTest.filter { $0 }.count == 25)

        // 0.3 × 10 rows of classes 6:4 → 3 test rows, shares 1.8 and 1.2: one each, then the larger remainder.
        let small = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1]
        let smallSplit = try StratifiedSplit.split(labels: small, testFraction: 0.3, seed: 7)
        #expect(Self.testCounts(smallSplit, small) == [2, 1])
    }

    @Test("the same seed gives the same split, another seed another one")
    func determinism() throws {
        let first = try StratifiedSplit.split(labels: Self.labels, seed: 1)
        #expect(try StratifiedSplit.split(labels: Self.labels, seed: 1) == first)
        #expect(try StratifiedSplit.split(labels: Self.labels, seed: 2) != first)
    }

    @Test("every class keeps a training row; a single-row class stays in training")
    func smallClasses() throws {
        let labels = [0, 0, 0, 0, 0, 0, 1, 2, 2]
        for seed in 0..<20 as Range<UInt64> {
            let isTest = try StratifiedSplit.split(labels: labels, testFraction: 0.5, seed: seed)
            #expect(isTest.filter { $0 }.count == 5)
            #expect(!isTest[6])
            #expect(Self.testCounts(isTest, labels) == [4, 0, 1])
        }
    }

    @Test("refuses a fraction outside (0, 1) and negative labels")
    func invalid() {
        #expect(throws: CRMError.self) { try StratifiedSplit.split(labels: [0, 1], testFraction: 0, seed: 1) }
        #expect(throws: CRMError.self) { try StratifiedSplit.split(labels: [0, 1], testFraction: 1, seed: 1) }
        #expect(throws: CRMError.self) { try StratifiedSplit.split(labels: [0, -1], seed: 1) }
    }

    @Test("folds partition the rows and spread each class evenly")
    func foldsPartition() throws {
        let folds = try StratifiedKFold.folds(labels: Self.labels, k: 5, seed: 3)
        #expect(folds.count == 5)
        #expect(folds.flatMap { $0 }.sorted() == Array(0..<100))
        for fold in folds {
            #expect(fold.count == 20)
            #expect(Self.testCounts(fold.map { _ in true }, fold.map { Self.labels[$0] }) == [12, 6, 2])
        }
        #expect(try StratifiedKFold.folds(labels: Self.labels, k: 5, seed: 3) == folds)
        #expect(try StratifiedKFold.folds(labels: Self.labels, k: 5, seed: 4) != folds)
    }

    @Test("fold sizes differ by at most one when k does not divide the classes")
    func unevenFolds() throws {
        let labels = [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1]
        let folds = try StratifiedKFold.folds(labels: labels, k: 3, seed: 9)
        #expect(folds.map(\.count).sorted() == [3, 4, 4])
        #expect(folds.flatMap { $0 }.sorted() == Array(0..<11))
        for fold in folds {
            let ones = fold.filter { labels[$0] == 1 }.count
            #expect(ones == 1 || ones == 2)
        }
    }

    @Test("k is reduced to the smallest class and the row count; k < 2 is refused")
    func reducedK() throws {
        #expect(try StratifiedKFold.effectiveK(labels: [0, 0, 0, 0, 0, 0, 1, 1, 1], k: 5) == 3)
        #expect(try StratifiedKFold.folds(labels: [0, 0, 0, 0, 0, 0, 1, 1, 1], k: 5, seed: 1).count == 3)
        #expect(try StratifiedKFold.effectiveK(labels: [0, 1, 2], k: 10) == 3)
        #expect(try StratifiedKFold.effectiveK(labels: [0, 0, 0, 0, 1], k: 3) == 3)
        #expect(throws: CRMError.self) { try StratifiedKFold.folds(labels: [0, 0, 1, 1], k: 1, seed: 1) }
        #expect(throws: CRMError.self) { try StratifiedKFold.folds(labels: [0], k: 2, seed: 1) }
    }

    @Test("SplitMix64 draws the published sequence and stays in bounds")
    func generator() {
        // Reference values of SplitMix64 seeded with 0 (Vigna's splitmix64.c, as used to seed xoshiro).
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
        for bound in 1...50 {
            #expect((0..<bound).contains(generator.next(below: bound)))
        }
    }
}
