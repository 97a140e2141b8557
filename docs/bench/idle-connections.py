#!/usr/bin/env python3
"""Heap per idle keep-alive client connection of a running Gatehouse.

Opens N connections to the proxy, sends one GET on each and reads its answer, keeps them all
open and idle, waits until the proxy reports them asleep (admin /stats), and compares the heap
after a full GC (jcmd GC.run) with the heap after a full GC before they were opened. Meanwhile
it checks that another client is served normally. Loopback only, bounded in count and time.

usage: idle-connections.py PROXY_PORT ADMIN_PORT GATEHOUSE_PID [N]
"""
import re
import socket
import subprocess
import sys
import time
import urllib.request

proxy_port, admin_port, pid = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
count = int(sys.argv[4]) if len(sys.argv) > 4 else 10000
REQUEST = b"GET /idle HTTP/1.1\r\nHost: bench\r\n\r\n"


def stats():
    with urllib.request.urlopen(f"http://127.0.0.1:{admin_port}/stats", timeout=10) as response:
        return dict(line.split(" ") for line in response.read().decode().splitlines())


def heap_after_gc():
    used = None
    for _ in range(3):
        subprocess.run(["jcmd", pid, "GC.run"], check=True, capture_output=True)
        info = subprocess.run(["jcmd", pid, "GC.heap_info"], check=True, capture_output=True, text=True).stdout
        # ParallelGC: "PSYoungGen total 1234K, used 567K" and "ParOldGen total ..K, used ..K"; G1: "garbage-first heap total ..K, used ..K"
        total = sum(int(k) for k in re.findall(r"(?:PSYoungGen|ParOldGen|garbage-first heap)\s+total \d+K, used (\d+)K", info))
        used = total if used is None else min(used, total)
    return used * 1024


def exchange(sock):
    sock.sendall(REQUEST)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            raise SystemExit("connection closed inside a response head")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(re.search(rb"(?i)content-length:\s*(\d+)", head).group(1))
    while len(body) < length:
        body += sock.recv(4096)
    return head.split(b"\r\n")[0].decode()


def fresh_client_status():
    with socket.create_connection(("127.0.0.1", proxy_port), timeout=10) as sock:
        started = time.monotonic()
        status = exchange(sock)
        return status, (time.monotonic() - started) * 1000


before = heap_after_gc()
sockets = []
deadline = time.monotonic() + 300
for i in range(count):
    sock = socket.create_connection(("127.0.0.1", proxy_port), timeout=10)
    sockets.append(sock)
    status = exchange(sock)
    if not status.startswith("HTTP/1.1 200"):
        raise SystemExit(f"connection {i}: {status}")
    if time.monotonic() > deadline:
        raise SystemExit("took too long")
while int(stats()["connections_asleep"]) < count:
    if time.monotonic() > deadline:
        raise SystemExit(f"not all asleep: {stats()}")
    time.sleep(0.5)
after = heap_after_gc()
status, millis = fresh_client_status()
print(f"connections: {count}, stats: {stats()}")
print(f"heap after GC: {before / 2**20:.1f} MiB before, {after / 2**20:.1f} MiB with the idle connections")
print(f"heap per idle connection: {(after - before) / count / 1024:.2f} KiB")
print(f"another client meanwhile: {status} in {millis:.1f} ms")
woken = [exchange(sockets[i]) for i in range(0, count, 250)]
print(f"sleepers woken with a second request: {len(woken)}, all 200: {all(s.startswith('HTTP/1.1 200') for s in woken)}")
for sock in sockets:
    sock.close()
