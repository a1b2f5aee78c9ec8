import Foundation

/// Why the write stage stopped. Every one of them is raised before the swap, so the output
/// is then exactly as it was.
public enum WriteError: Error, CustomStringConvertible {
    case system(String, String, Int32)
    case busy(String)
    case notAFolder(String)
    case outsideOutput(String)
    case occupied(path: String, keeping: String)

    public var description: String {
        switch self {
        case let .system(step, path, code):
            return "cannot \(step) \(path): \(String(cString: strerror(code)))"
        case let .busy(output):
            return "another build of \(output) is running; expected one build at a time (run again without --no-wait to wait for it)"
        case let .notAFolder(output):
            return "output \(output) is not a folder; expected a folder or nothing"
        case let .outsideOutput(path):
            return "refusing to write \(path), which is not a plain path inside the output"
        case let .occupied(path, keeping):
            return "the site has \(path), but the output holds \(keeping), which overens did not write; move it away"
        }
    }
}
