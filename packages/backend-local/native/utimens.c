/*
 * utimensat(2) for Node: sets atime and mtime of a path to the nanosecond, which fs.utimes (a double of seconds,
 * truncated to microseconds by libuv) cannot. A Node-API addon; the handful of Node-API declarations it needs are
 * written out below so that it builds with any C compiler, without Node's headers.
 *
 * JS: setTimesNs(path: Buffer (NUL-terminated), seconds: number, nanos: number, noFollow: boolean) -> errno (0 = ok)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

typedef struct napi_env__ *napi_env;
typedef struct napi_value__ *napi_value;
typedef struct napi_callback_info__ *napi_callback_info;
typedef int napi_status; /* napi_ok == 0 */
typedef napi_value (*napi_callback)(napi_env env, napi_callback_info info);

extern napi_status napi_get_cb_info(napi_env, napi_callback_info, size_t *, napi_value *, napi_value *, void **);
extern napi_status napi_get_buffer_info(napi_env, napi_value, void **, size_t *);
extern napi_status napi_get_value_int64(napi_env, napi_value, int64_t *);
extern napi_status napi_get_value_bool(napi_env, napi_value, bool *);
extern napi_status napi_create_int32(napi_env, int32_t, napi_value *);
extern napi_status napi_create_function(napi_env, const char *, size_t, napi_callback, void *, napi_value *);
extern napi_status napi_set_named_property(napi_env, napi_value, const char *, napi_value);

static napi_value result(napi_env env, int32_t code) {
  napi_value out = NULL;
  napi_create_int32(env, code, &out);
  return out;
}

static napi_value set_times_ns(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != 0 || argc < 4) return result(env, EINVAL);
  char *path = NULL;
  size_t len = 0;
  int64_t sec = 0, nsec = 0;
  bool no_follow = false;
  if (napi_get_buffer_info(env, argv[0], (void **)&path, &len) != 0 || len == 0 || path[len - 1] != '\0') return result(env, EINVAL);
  if (napi_get_value_int64(env, argv[1], &sec) != 0 || napi_get_value_int64(env, argv[2], &nsec) != 0) return result(env, EINVAL);
  if (napi_get_value_bool(env, argv[3], &no_follow) != 0) return result(env, EINVAL);
  if (nsec < 0 || nsec > 999999999) return result(env, EINVAL);
  struct timespec ts[2];
  ts[0].tv_sec = (time_t)sec;
  ts[0].tv_nsec = (long)nsec;
  ts[1] = ts[0];
  if (utimensat(AT_FDCWD, path, ts, no_follow ? AT_SYMLINK_NOFOLLOW : 0) != 0) return result(env, errno);
  return result(env, 0);
}

napi_value napi_register_module_v1(napi_env env, napi_value exports) {
  napi_value fn = NULL;
  if (napi_create_function(env, "setTimesNs", (size_t)-1, set_times_ns, NULL, &fn) == 0) {
    napi_set_named_property(env, exports, "setTimesNs", fn);
  }
  return exports;
}

int32_t node_api_module_get_api_version_v1(void) { return 8; }
