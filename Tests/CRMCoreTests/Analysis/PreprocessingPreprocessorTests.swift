import CRMCore
import Foundation
import Testing

@Suite("Preprocessor")
struct PreprocessingPreprocessorTests {
    /// Column 0: median imputation; 1: entirely missing; 2: constant; 3: two missing values.
    static let training: [[Double?]] = [
        [1, nil, 5, 2],
        [nil, nil, 5, 4],
        [3, nil, 5, nil],
        [10, nil, 5, nil],
    ]

    @Test("fits medians, means and population scales worked out by hand")
    func fitByHand() {
        let fitted = Preprocessor.fit(rows: Self.training)
        #expect(fitted.featureCount == 4)
        // Column 0: median of 1, 3, 10 is 3; imputed 1, 3, 3, 10 → mean 4.25, variance 46.75 / 4.
        // Column 3: median of 2, 4 is 3; imputed 2, 4, 3, 3 → mean 3, variance 2 / 4.
        #expect(fitted.medians == [3, 0, 5, 3])
        #expect(fitted.means == [4.25, 0, 5, 3])
        #expect(fitted.scales[0] == (46.75 / 4).squareRoot())
        #expect(fitted.scales[1] == 1)
        #expect(fitted.scales[2] == 1)
        #expect(fitted.scales[3] == 0.5.squareRoot())
    }

    @Test("transforms as scikit-learn's median SimpleImputer + StandardScaler")
    func matchesScikitLearn() {
        let fitted = Preprocessor.fit(rows: Self.training)
        // scikit-learn 1.9.1: make_pipeline(SimpleImputer(strategy="median", keep_empty_features=True),
        // StandardScaler()).fit_transform(X) on the rows above (nil = np.nan), Z.tolist().
        let expected: [Double] = [
            -0.9506541513652698, 0.0, 0.0, -1.414213562373095,
            -0.36563621206356534, 0.0, 0.0, 1.414213562373095,
            -0.36563621206356534, 0.0, 0.0, 0.0,
            1.6819265754924004, 0.0, 0.0, 0.0,
        ]
        let actual = fitted.transform(Self.training)
        #expect(actual.count == expected.count)
        for (a, e) in zip(actual, expected) {
            #expect(abs(a - e) < 1e-12, "\(a) vs \(e)")
        }
        // The same pipeline's transform([[nan, 7, 1, 0]]).
        let row = fitted.transform(row: [nil, 7, 1, 0])
        let expectedRow = [-0.36563621206356534, 7.0, -4.0, -4.242640687119285]
        for (a, e) in zip(row, expectedRow) {
            #expect(abs(a - e) < 1e-12, "\(a) vs \(e)")
        }
    }

    @Test("median of an even count is the mean of the two middle values")
    func evenMedian() {
        let fitted = Preprocessor.fit(rows: [[4], [1], [nil], [2], [100]])
        #expect(fitted.medians == [3])
    }

    @Test("non-finite input is imputed and the output is always finite")
    func nonFinite() {
        let fitted = Preprocessor.fit(rows: [[1, .infinity], [3, 2], [.nan, 4]])
        #expect(fitted.medians == [2, 3])
        let output = fitted.transform([[.nan, -.infinity], [nil, 1.7e308], [-1.7e308, nil]])
        #expect(output.allSatisfy { $0.isFinite })
        #expect(output[0] == 0)
    }

    @Test("a constant column keeps scale 1 even with rounding noise in its variance")
    func nearConstant() {
        let fitted = Preprocessor.fit(rows: [[0.1], [0.1], [0.1], [0.1], [0.1], [0.1], [0.1]])
        #expect(fitted.scales == [1])
        #expect(fitted.transform([[0.1]]).allSatisfy { abs($0) < 1e-12 })
    }

    @Test("no training rows: identity with zero imputation")
    func empty() {
        let fitted = Preprocessor.fit(rows: [], featureCount: 2)
        #expect(fitted.transform(row: [nil, 3]) == [0, 3])
    }

    @Test("JSON round trip is lossless and byte-stable")
    func jsonRoundTrip() throws {
        let fitted = Preprocessor.fit(rows: Self.training)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(fitted)
        let decoded = try JSONDecoder().decode(Preprocessor.self, from: data)
        #expect(decoded == fitted)
        #expect(try encoder.encode(decoded) == data)
        #expect(try encoder.encode(Preprocessor.fit(rows: Self.training)) == data)
        #expect(decoded.transform(Self.training) == fitted.transform(Self.training))
    }

    @Test("decoding refuses parameters that do not line up")
    func corruptJSON() {
        let json = Data(#"{"featureCount":2,"means":[0,0],"medians":[0],"scales":[1,1]}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Preprocessor.self, from: json) }
        let zeroScale = Data(#"{"featureCount":1,"means":[0],"medians":[0],"scales":[0]}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Preprocessor.self, from: zeroScale) }
    }
}
