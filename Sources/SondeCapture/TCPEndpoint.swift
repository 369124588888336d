import SondeModel

/// One end of a TCP connection in a capture.
struct TCPEndpoint: Hashable, Sendable {
    var address: IPAddress
    var port: UInt16

    var socketAddress: SocketAddress { SocketAddress(host: address.description, port: port) }
}
