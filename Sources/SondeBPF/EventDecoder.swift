import Foundation
import SondeABI
import SondeHost
import SondeModel

/// Turns the ring buffer's records (layouts in bpf/abi/sonde_events.h) into ``RawEvent`` values.
struct EventDecoder {
    let clock: MonotonicClock

    /// The event in `record`, or nil for a record too short for its kind (never expected; counted).
    func decode(_ record: UnsafeRawBufferPointer) -> RawEvent? {
        guard record.count >= MemoryLayout<sonde_event_header>.size else { return nil }
        let header = record.loadUnaligned(as: sonde_event_header.self)
        let id = ConnectionID(pid: Int32(bitPattern: header.tgid), fd: header.fd, generation: header.generation)
        let timestamp = clock.unixNanoseconds(fromMonotonic: header.timestamp_ns)
        switch header.kind {
        case UInt32(SONDE_EVENT_DATA.rawValue):
            guard record.count >= MemoryLayout<sonde_data_event>.size else { return nil }
            let event = record.loadUnaligned(as: sonde_data_event.self)
            let payloadStart = MemoryLayout<sonde_data_event>.size
            let captured = min(Int(event.captured), record.count - payloadStart)
            return .data(DataChunk(
                id: id, tid: Int32(bitPattern: header.tid),
                direction: event.direction == UInt8(SONDE_INGRESS.rawValue) ? .ingress : .egress,
                offset: event.offset, size: Int(event.size),
                // Rebased: an array made from the slice itself copies byte by byte.
                payload: Array(UnsafeRawBufferPointer(rebasing: record[payloadStart..<(payloadStart + captured)])),
                timestamp: timestamp,
                source: event.flags & UInt8(SONDE_DATA_TLS.rawValue) != 0 ? .tlsLibrary : .socket))
        case UInt32(SONDE_EVENT_OPEN.rawValue):
            guard record.count >= MemoryLayout<sonde_connection_event>.size else { return nil }
            var event = record.loadUnaligned(as: sonde_connection_event.self)
            let local = withUnsafeBytes(of: &event.local_addr) { Self.address($0) }
            let remote = withUnsafeBytes(of: &event.remote_addr) { Self.address($0) }
            let name = withUnsafeBytes(of: &event.comm) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            return .opened(ConnectionOpened(
                id: id, role: ConnectionRole(rawValue: event.role) ?? .unknown,
                local: SocketAddress(host: local, port: event.local_port),
                remote: SocketAddress(host: remote, port: event.remote_port),
                timestamp: timestamp, processName: name.isEmpty ? nil : name,
                processStartAfterBoot: event.process_start_ns == 0 ? nil : event.process_start_ns))
        case UInt32(SONDE_EVENT_CLOSE.rawValue):
            return .closed(ConnectionClosed(id: id, timestamp: timestamp))
        case UInt32(SONDE_EVENT_EXEC.rawValue):
            return .process(ProcessEvent(pid: id.pid, kind: .exec, timestamp: timestamp))
        case UInt32(SONDE_EVENT_EXIT.rawValue):
            return .process(ProcessEvent(pid: id.pid, kind: .exit, timestamp: timestamp))
        case UInt32(SONDE_EVENT_FORK.rawValue):
            return .process(ProcessEvent(pid: id.pid, kind: .fork, timestamp: timestamp))
        default:
            return nil
        }
    }

    /// Text form of a 16-byte address; IPv4-mapped addresses print as IPv4.
    static func address(_ bytes: UnsafeRawBufferPointer) -> String {
        let isV4Mapped = bytes.prefix(10).allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
        if isV4Mapped {
            return bytes[12...].map(String.init).joined(separator: ".")
        }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, bytes.baseAddress, &text, socklen_t(text.count)) != nil else { return "::" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
