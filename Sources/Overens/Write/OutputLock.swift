import Foundation

/// One build of an output at a time: an exclusive `flock` on a file beside the output (the
/// output itself is swapped, so it cannot carry the lock). The kernel lets go when the
/// process ends, killed or not; the file stays, since removing a lock file races with the
/// next build that opens it.
final class OutputLock {
    private let fd: Int32

    /// Takes the lock; when another build holds it, waits (after calling `waiting` once) or,
    /// with `wait` false, throws `.busy`.
    init(_ place: OutputPlace, wait: Bool, waiting: () -> Void) throws {
        fd = open(place.lockFile, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WriteError.system("open", place.lockFile, errno) }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 { return }
        guard errno == EWOULDBLOCK, wait else {
            close(fd)
            throw WriteError.busy(place.output)
        }
        waiting()
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let code = errno
                close(fd)
                throw WriteError.system("lock", place.lockFile, code)
            }
        }
    }

    deinit { close(fd) }
}
