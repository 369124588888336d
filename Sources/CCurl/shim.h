/* libcurl for Swift: curl_easy_setopt is variadic, so each option type gets a typed wrapper. */
#ifndef SONDE_CCURL_SHIM_H
#define SONDE_CCURL_SHIM_H
#include <curl/curl.h>

static inline CURLcode sonde_curl_setopt_long(CURL *curl, CURLoption option, long value) {
    return curl_easy_setopt(curl, option, value);
}
static inline CURLcode sonde_curl_setopt_string(CURL *curl, CURLoption option, const char *value) {
    return curl_easy_setopt(curl, option, value);
}
static inline CURLcode sonde_curl_setopt_pointer(CURL *curl, CURLoption option, void *value) {
    return curl_easy_setopt(curl, option, value);
}
static inline CURLcode sonde_curl_setopt_write_function(CURL *curl,
        size_t (*function)(char *, size_t, size_t, void *)) {
    return curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, function);
}
static inline CURLcode sonde_curl_getinfo_long(CURL *curl, CURLINFO info, long *value) {
    return curl_easy_getinfo(curl, info, value);
}
#endif
