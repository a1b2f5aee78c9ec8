import XCTest
@testable import Overens

final class ParallelMapTests: XCTestCase {
    func testOrderIsKeptAndEveryItemIsMappedOnce() {
        let calls = Locked<[Int: Int]>([:])
        let items = Array(0..<1_000)
        let out = parallelMap(items) { item -> String in
            calls.withLock { $0[item, default: 0] += 1 }
            return "#\(item)"
        }
        XCTAssertEqual(out, items.map { "#\($0)" })
        XCTAssertEqual(calls.withLock { $0 }, Dictionary(uniqueKeysWithValues: items.map { ($0, 1) }))
    }

    func testNoItemsAndOneItem() {
        XCTAssertEqual(parallelMap([Int]()) { $0 * 2 }, [])
        XCTAssertEqual(parallelMap([21]) { $0 * 2 }, [42])
    }
}
