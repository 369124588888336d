import Foundation
import SondeModel
import Testing
@testable import SondeHost

/// The resource attributes of a process, read from /proc, and the parsers behind them.
struct ProcessResourcesTests {
    @Test func theTestProcessIsDescribedFromProc() {
        let pid = ProcessInfo.processInfo.processIdentifier
        let attributes = ProcessResources(distroVersion: "9.9.9").resource(for: pid).attributes
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().lastPathComponent
        #expect(attributes["process.pid"] == .int(Int64(pid)))
        #expect(attributes["process.executable.name"] == .string(executable))
        #expect(attributes["service.name"] == .string(executable))
        #expect(attributes["host.name"] == .string(ProcessInfo.processInfo.hostName))
        #expect(attributes["telemetry.sdk.language"] == .string("swift"))
        #expect(attributes["telemetry.distro.version"] == .string("9.9.9"))
    }

    @Test func otelVariablesOfTheProcessNameItsService() {
        let environ = Array("PATH=/bin\0OTEL_SERVICE_NAME=checkout\0OTEL_RESOURCE_ATTRIBUTES=deployment.environment.name=prod,team=a%20b, =x\0".utf8)
        let environment = ProcessEnvironment(environ: environ)
        #expect(environment.serviceName == "checkout")
        #expect(environment.resourceAttributes.map { "\($0.0)=\($0.1)" } == ["deployment.environment.name=prod", "team=a b"])
    }

    @Test func theExecutableNameIsWhatWasExecutedInFull() {
        #expect(ProcessResources.executableName(path: "/usr/bin/redis-check-rdb", commandName: "redis-server") == "redis-server")
        #expect(ProcessResources.executableName(path: "/tmp/static_https_client", commandName: "static_https_cl") == "static_https_client")
        #expect(ProcessResources.executableName(path: "/usr/sbin/nginx", commandName: "nginx") == "nginx")
        #expect(ProcessResources.executableName(path: nil, commandName: "curl") == "curl")
        #expect(ProcessResources.executableName(path: "/usr/bin/curl", commandName: nil) == "curl")
        #expect(ProcessResources.executableName(path: nil, commandName: nil) == "unknown")
    }

    @Test func containerIDsComeFromCgroupPaths() {
        let id = String(repeating: "0123456789abcdef", count: 4)
        #expect(ContainerID.find(inCgroup: "0::/system.slice/docker-\(id).scope\n") == id)
        #expect(ContainerID.find(inCgroup: "0::/kubepods/burstable/pod1/cri-containerd-\(id)\n") == id)
        #expect(ContainerID.find(inCgroup: "0::/user.slice/user-0.slice/session-1.scope\n") == nil)
    }

    @Test func languagesComeFromTheRuntimeAndGoBinariesFromTheirBuildInfoSection() throws {
        let curl = try #require(ELFFile(path: "/usr/bin/curl"))
        #expect(curl.sectionNames.contains(".text"))
        #expect(!curl.sectionNames.contains(".go.buildinfo"))
        #expect(ELFFile(path: "/etc/hostname") == nil)
        #expect(ProcessLanguage.of(pid: ProcessInfo.processInfo.processIdentifier, executablePath: nil) == "swift")
    }
}

/// `process.creation.time` from /proc or the kernel's events: after boot, before now, the same on every read
/// and from either source.
struct ProcessStartTimeTests {
    @Test func theTestProcessStartedAfterBootAndBeforeNow() throws {
        let pid = ProcessInfo.processInfo.processIdentifier
        let text = try #require(ProcessStartTime.of(pid: pid))
        let started = try Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
        let boot = Date(timeIntervalSince1970: Double(try #require(ProcessStartTime.bootTime)))
        #expect(boot <= started && started <= Date())
        #expect(ProcessStartTime.of(pid: pid) == text)
        #expect(ProcessResources(distroVersion: "1").resource(for: pid).attributes["process.creation.time"] == .string(text))
    }

    @Test func aGoneProcessHasNoStartTime() {
        #expect(ProcessStartTime.of(pid: Int32.max) == nil)
    }

    /// The kernel's nanoseconds after boot, cut to whole ticks as /proc cuts them, give /proc's time.
    @Test func theKernelsNanosecondsGiveTheTimeProcGives() throws {
        let pid = ProcessInfo.processInfo.processIdentifier
        let ticks = try #require(ProcessStartTime.ticksAfterBoot(pid: pid))
        let nanosecondsPerTick = 1_000_000_000 / ProcessStartTime.ticksPerSecond
        for withinTheTick in [0, 1, nanosecondsPerTick - 1] {
            #expect(ProcessStartTime.iso8601(nanosecondsAfterBoot: ticks * nanosecondsPerTick + withinTheTick)
                    == ProcessStartTime.of(pid: pid))
        }
    }

    /// A client that exited before /proc was read (a short curl) keeps the name and start the kernel gave.
    @Test func aProcessGoneFromProcIsNamedAndDatedByTheKernel() throws {
        let resources = ProcessResources(distroVersion: "1")
        let started = try #require(ProcessStartTime.iso8601(nanosecondsAfterBoot: 12_345_000_000))
        resources.observe(pid: Int32.max, commandName: "curl", startedAfterBoot: 12_345_000_000)
        let attributes = resources.resource(for: Int32.max).attributes
        #expect(attributes["process.executable.name"] == .string("curl"))
        #expect(attributes["service.name"] == .string("curl"))
        #expect(attributes["process.creation.time"] == .string(started))
    }
}
