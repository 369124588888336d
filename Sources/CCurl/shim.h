/* libcurl (and zlib, for gzip request bodies) for Swift: curl_easy_setopt and curl_easy_getinfo are
 * variadic and deflateInit2 is a macro, so each gets a typed wrapper here. */
#ifndef SONDE_CCURL_SHIM_H
#define SONDE_CCURL_SHIM_H
#include <curl/curl.h>
#include <zlib.h>

static inline CURLcode sonde_curl_global_init(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT);
}
static inline CURLcode sonde_curl_setopt_long(CURL *curl, CURLoption option, long value) {
    return curl_easy_setopt(curl, option, value);
}
static inline CURLcode sonde_curl_setopt_off_t(CURL *curl, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(curl, option, value);
}
static inline CURLcode sonde_curl_setopt_string(CURL *curl, CURLoption option, const char *value) {
    return curl_easy_setopt(curl, option, value);
}
static inline CURLcode sonde_curl_setopt_pointer(CURL *curl, CURLoption option, void *value) {
    return curl_easy_setopt(curl, option, value);
}
static inline CURLcode sonde_curl_setopt_header_list(CURL *curl, struct curl_slist *list) {
    return curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
}
static inline CURLcode sonde_curl_setopt_write_function(CURL *curl,
        size_t (*function)(char *, size_t, size_t, void *)) {
    return curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, function);
}
static inline CURLcode sonde_curl_getinfo_long(CURL *curl, CURLINFO info, long *value) {
    return curl_easy_getinfo(curl, info, value);
}
static inline CURLcode sonde_curl_getinfo_off_t(CURL *curl, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(curl, info, value);
}

/* A deflate stream that writes the gzip format (windowBits 15 + 16). */
static inline int sonde_deflate_init_gzip(z_stream *stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
}
#endif
