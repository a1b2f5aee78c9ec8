import CMallocTuning
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few calls spelled differently per system, one function each. The tests run on
/// Linux, the one system the README promises; elsewhere these only compile.
/// (Watching is `FolderEvents`, inotify; the one-step swap is `Swap`, renameat2.)
public enum Platform {
    /// The running program's file: a new overens makes an unchanged site's record stale.
    static var executablePath: String {
        #if os(Linux)
        return "/proc/self/exe"
        #else
        return Bundle.main.executablePath ?? CommandLine.arguments[0]
        #endif
    }

    /// A file's modification time as seconds and nanoseconds.
    static func modified(_ info: stat) -> (seconds: Int, nanoseconds: Int) {
        #if os(Linux)
        return (Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec))
        #else
        return (Int(info.st_mtimespec.tv_sec), Int(info.st_mtimespec.tv_nsec))
        #endif
    }

    /// Blocks of 1 MiB and more (large pages, the search index) are mapped on their own and
    /// given back when freed. glibc's default threshold rises with every large block freed,
    /// after which they come from the heap and leave it fragmented: at 100,000 files the
    /// peak was 1,004 MB with it, 848 MB with this (`bench/RESULTS.md`).
    public static func returnLargeBlocks() {
        _ = overens_return_blocks_from(1 << 20)
    }

    /// write(2): how many bytes were written, or -1.
    static func write(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.write(fd, bytes, count)
        #else
        return Darwin.write(fd, bytes, count)
        #endif
    }
}
