"""A hostile Python plugin: one component whose behaviour the parameter `attack` selects, so that the tests build it
once (tests/python_plugins.rs runs every attack; the committed `hostile-py.wasm` is built from this folder by
`tiendo plugin build tests/hostile-plugins-py`).

Each attack must end in its own named error, or for the clock and random numbers in deterministic output, and must
never reach the machine running tiendo.
"""

from tiendo_plugin import ComputeInput, InvalidInput, MetricValue, PluginInfo

INFO = PluginInfo(
    id="hostile-py",
    version="0.1.0",
    description="Attacks the sandbox as the parameter `attack` says",
    inputs=["anything"],
    metrics=["result"],
)


def open_file():
    with open("/etc/passwd") as file:
        return float(len(file.read()))


def socket_connect():
    import socket

    with socket.create_connection(("127.0.0.1", 80), timeout=1) as connection:
        connection.sendall(b"GET / HTTP/1.0\r\n\r\n")
    return 1.0


def env_var():
    import os

    # Whatever the component saw when it was built must not be there either (componentize-py pre-initialises the
    # interpreter at build time).
    leaked = sorted(os.environ)
    if leaked:
        raise RuntimeError(f"environment variables are visible: {', '.join(leaked[:5])}")
    return float(len(os.getenv("HOME", "")))


def clock():
    import time

    # Logic that depends on the time of day.
    return float(int(time.time()) % 2)


def random_number():
    import random

    return random.random()


def sleep():
    import time

    time.sleep(10**9)
    return 1.0


def endless_loop():
    count = 0
    while True:
        count += 1


def memory_bomb():
    blocks = []
    while True:
        blocks.append(bytearray(16 * 1024 * 1024))


def print_100_mb():
    line = "x" * 999
    for _ in range(100 * 1024):
        print(line)
    return 1.0


def raise_exception():
    raise ValueError("the plugin gave up")


def recursion():
    def deeper(depth):
        return deeper(depth + 1) + 1

    return float(deeper(0))


ATTACKS = {
    "none": lambda: 42.0,
    "open-file": open_file,
    "socket": socket_connect,
    "env-var": env_var,
    "clock": clock,
    "random": random_number,
    "sleep": sleep,
    "endless-loop": endless_loop,
    "memory-bomb": memory_bomb,
    "print-100-mb": print_100_mb,
    "raise": raise_exception,
    "recursion": recursion,
}


def compute(input: ComputeInput):
    attack = input.param("attack") or "none"
    if attack not in ATTACKS:
        raise InvalidInput(f"unknown attack `{attack}`; one of {', '.join(ATTACKS)}")
    return [MetricValue("result", ATTACKS[attack]())]
