import Foundation

/// Where a render's CPU goes, per template: with `OVERENS_TIMINGS` set, each page's time
/// to build its view model and to run its template is summed by template and printed after
/// the stage timings. Thread CPU time, so other processes on the machine do not count.
final class RenderProfile: Sendable {
    static var enabled: Bool { ProcessInfo.processInfo.environment["OVERENS_TIMINGS"] != nil }

    struct Totals {
        var pages = 0
        var views: UInt64 = 0
        var template: UInt64 = 0
    }
    private let totals = Locked<[String: Totals]>([:])

    /// CPU time of the calling thread, in nanoseconds.
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    func add(_ template: String, views: UInt64, render: UInt64) {
        totals.withLock {
            $0[template, default: Totals()].pages += 1
            $0[template, default: Totals()].views += views
            $0[template, default: Totals()].template += render
        }
    }

    func report() {
        let all = totals.withLock { $0 }
        func ms(_ ns: UInt64) -> String { String(format: "%.1f ms", Double(ns) / 1e6) }
        var lines = ["render CPU by template (pages, view model, template, per page):"]
        for (name, t) in all.sorted(by: { $0.value.views + $0.value.template > $1.value.views + $1.value.template }) {
            let each = Double(t.views + t.template) / Double(max(1, t.pages)) / 1e3
            lines.append("  \(name): \(t.pages), \(ms(t.views)), \(ms(t.template)), \(String(format: "%.0f µs", each))")
        }
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
