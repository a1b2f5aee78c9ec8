import Foundation

/// One build of an output at a time: an exclusive `flock` on the output's parent folder
/// (the output itself is swapped, so it cannot carry the lock, and a lock file would be
/// one more file of the tool's own beside the site, for good). The kernel lets go when the
/// process ends, killed or not. Two outputs in one folder build one after the other.
final class OutputLock {
    private let fd: Int32

    /// Takes the lock; when another build holds it, waits (after calling `waiting` once) or,
    /// with `wait` false, throws `.busy`.
    init(_ place: OutputPlace, wait: Bool, waiting: () -> Void) throws {
        fd = open(place.parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw WriteError.system("open", place.parent, errno) }
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
                throw WriteError.system("lock", place.parent, code)
            }
        }
    }

    deinit { close(fd) }
}
