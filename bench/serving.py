#!/usr/bin/env python3
"""Waits until every port answers GET /version with the expected body; prints the seconds taken.

Usage: serving.py VERSION TIMEOUT PORT...   (run inside the sandbox's network namespace)
Polls 127.0.0.1:PORT every 20 ms, each request given 200 ms; exits 1 when TIMEOUT seconds
pass first.
"""
import http.client
import sys
import time


def answers(port, version):
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=0.2)
        conn.request("GET", "/version")
        response = conn.getresponse()
        return response.status == 200 and response.read().decode().strip() == version
    except OSError:
        return False
    finally:
        conn.close()


def main():
    version, timeout, ports = sys.argv[1], float(sys.argv[2]), [int(p) for p in sys.argv[3:]]
    started = time.monotonic()
    waiting = set(ports)
    while waiting:
        waiting = {port for port in waiting if not answers(port, version)}
        if not waiting:
            break
        if time.monotonic() - started > timeout:
            sys.stderr.write("serving.py: ports %s did not serve %s within %ss\n"
                             % (sorted(waiting), version, timeout))
            return 1
        time.sleep(0.02)
    print("%.3f" % (time.monotonic() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
