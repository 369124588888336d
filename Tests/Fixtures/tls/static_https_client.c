/* A minimal HTTPS client with OpenSSL linked in statically (libssl.a, libcrypto.a) and its functions
 * exported (-rdynamic), built by the TLS end-to-end test: Sonde must find OpenSSL inside this executable,
 * since no libssl.so is mapped. Usage: static_https_client PORT PATH DELAY: waits DELAY seconds, sends one
 * request and prints the status line. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 4)
        return 2;
    usleep((useconds_t)(atof(argv[3]) * 1e6));
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1]))};
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&address, sizeof(address)) != 0)
        return 1;
    SSL_CTX *context = SSL_CTX_new(TLS_client_method());
    SSL *ssl = SSL_new(context);
    SSL_set_fd(ssl, fd);
    if (SSL_connect(ssl) != 1)
        return 1;
    char request[512];
    int length = snprintf(request, sizeof(request),
                          "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n", argv[2], argv[1]);
    if (SSL_write(ssl, request, length) != length)
        return 1;
    char response[4096];
    int total = 0, got;
    while (total < (int)sizeof(response) - 1 && (got = SSL_read(ssl, response + total, sizeof(response) - 1 - total)) > 0)
        total += got;
    response[total] = 0;
    char *line_end = strstr(response, "\r\n");
    if (line_end)
        *line_end = 0;
    printf("%s\n", response);
    SSL_shutdown(ssl);
    SSL_free(ssl);
    SSL_CTX_free(context);
    close(fd);
    return 0;
}
