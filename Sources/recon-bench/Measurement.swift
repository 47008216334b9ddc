import ArgumentParser
import Foundation

/// What one timed child process used.
struct Measurement {
    var wall: Double
    /// User and system time of the child, in seconds.
    var cpu: Double
    var peakRSSKiB: Int
    /// Bytes the child read from the disk rather than from the page cache: a run that found its
    /// files out of the cache shows here.
    var diskReadBytes: Int
    var status: Int32

    /// Runs a child process with its standard output sent to `output` and its standard error to
    /// `errors` (inherited when `nil`), and measures it.
    static func of(
        _ executable: String, _ arguments: [String], output: String = "/dev/null", errors: String? = nil
    ) throws -> Measurement {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if let errors { posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let started = DispatchTime.now().uptimeNanoseconds
        let code = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard code == 0 else { throw ValidationError("cannot start \(executable): \(String(cString: strerror(code)))") }
        var status: Int32 = 0
        var usage = rusage()
        _ = wait4(pid, &status, 0, &usage)
        let wall = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let cpu = [usage.ru_utime, usage.ru_stime].map { Double($0.tv_sec) + Double($0.tv_usec) / 1e6 }.reduce(0, +)
        return Measurement(
            wall: wall, cpu: cpu, peakRSSKiB: Int(usage.ru_maxrss), diskReadBytes: Int(usage.ru_inblock) * 512,
            status: (status >> 8) & 0xFF)
    }
}

extension Measurement {
    /// Runs child processes at once and measures them together: the wall time until the last ends,
    /// their CPU time added up, the largest peak RSS, and the worst exit status.
    static func ofAll(_ commands: [(executable: String, arguments: [String])]) throws -> Measurement {
        let started = DispatchTime.now().uptimeNanoseconds
        var pids: [pid_t] = []
        for command in commands {
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            let argv = ([command.executable] + command.arguments).map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            var pid = pid_t()
            let code = posix_spawn(&pid, command.executable, &actions, nil, argv, environ)
            guard code == 0 else { throw ValidationError("cannot start \(command.executable): \(String(cString: strerror(code)))") }
            pids.append(pid)
        }
        var total = Measurement(wall: 0, cpu: 0, peakRSSKiB: 0, diskReadBytes: 0, status: 0)
        for pid in pids {
            var status: Int32 = 0
            var usage = rusage()
            _ = wait4(pid, &status, 0, &usage)
            total.cpu += [usage.ru_utime, usage.ru_stime].map { Double($0.tv_sec) + Double($0.tv_usec) / 1e6 }.reduce(0, +)
            total.peakRSSKiB = max(total.peakRSSKiB, Int(usage.ru_maxrss))
            total.diskReadBytes += Int(usage.ru_inblock) * 512
            total.status = max(total.status, (status >> 8) & 0xFF)
        }
        total.wall = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return total
    }
}
