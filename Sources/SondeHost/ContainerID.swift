/// The container id of a process, read from its cgroup path (Docker, containerd, CRI-O, Podman).
enum ContainerID {
    /// The 64-hex-digit id in /proc/PID/cgroup, if the process runs in a container.
    static func of(pid: Int32) -> String? {
        ProcFile.text("/proc/\(pid)/cgroup").flatMap(find(inCgroup:))
    }

    /// The last 64-hex-digit run in the cgroup paths (e.g. `.../docker-<id>.scope`, `.../cri-containerd-<id>`).
    static func find(inCgroup text: String) -> String? {
        var found: String?
        var run: [Character] = []
        for character in text + "\n" {
            if character.isHexDigit && (character.isNumber || character.isLowercase) {
                run.append(character)
            } else {
                if run.count == 64 { found = String(run) }
                run.removeAll(keepingCapacity: true)
            }
        }
        return found
    }
}
