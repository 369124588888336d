#!/usr/bin/env python3
"""Regenerates the MySQL fixtures from a real MariaDB server, through a recording TCP proxy.

Each fixture is one TCP connection seen from the client, written as NAME.chunks: the chunks in the
order they were seen, each a header line `C <length>` (the client sent) or `S <length>` (the server
sent), then exactly that many bytes, then a newline. Chunk boundaries are the real send()/recv() ones.

Usage: python3 make_fixtures.py   (as root; needs mariadb-server, mariadb-client and
mysql-connector-python; uses ports 13306 and 13307)
"""
import io
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time

import mysql.connector

HERE = os.path.dirname(os.path.abspath(__file__))
PORT = 13306
PROXY_PORT = 13307


def wait_for_port(port):
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("mariadbd did not start")


def save(name, chunks):
    with open(os.path.join(HERE, name + ".chunks"), "wb") as f:
        for side, data in chunks:
            f.write(b"%s %d\n" % (side, len(data)) + data + b"\n")
    sent = sum(len(d) for s, d in chunks if s == b"C")
    received = sum(len(d) for s, d in chunks if s == b"S")
    print(f"{name}: {len(chunks)} chunks, {sent} client bytes, {received} server bytes")


class RecordingProxy:
    """A TCP proxy between a client and mariadbd that records the real chunks of one connection."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", PROXY_PORT))
        self.chunks = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_one)
        self.thread.start()

    def serve_one(self):
        client, _ = self.listener.accept()
        server = socket.create_connection(("127.0.0.1", PORT))
        pumps = [threading.Thread(target=self.pump, args=(client, server, b"C")),
                 threading.Thread(target=self.pump, args=(server, client, b"S"))]
        for pump in pumps:
            pump.start()
        for pump in pumps:
            pump.join()
        client.close()
        server.close()
        self.listener.close()

    def pump(self, source, destination, side):
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                data = b""
            with self.lock:
                if data:
                    self.chunks.append((side, data))
            if not data:
                try:
                    destination.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                return
            destination.sendall(data)


def cli(name, statements, database="shop"):
    """The mariadb command-line client running `statements` (one -e, several statements)."""
    proxy = RecordingProxy()
    subprocess.run(["mariadb", "-h", "127.0.0.1", "-P", str(PROXY_PORT), "-u", "root", "--skip-ssl",
                    "-D", database, "-e", statements], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    proxy.thread.join()
    save(name, proxy.chunks)


def connector(name, body):
    """mysql-connector-python (pure Python, plaintext) running `body(connection)`."""
    proxy = RecordingProxy()
    connection = mysql.connector.connect(host="127.0.0.1", port=PROXY_PORT, user="root", database="shop",
                                         ssl_disabled=True, use_pure=True)
    body(connection)
    connection.close()
    proxy.thread.join()
    save(name, proxy.chunks)


def prepared(connection):
    cursor = connection.cursor(prepared=True)
    cursor.execute("SELECT id, name, price FROM items WHERE price > ? ORDER BY id", (2,))
    cursor.fetchall()
    cursor.execute("SELECT id, name, price FROM items WHERE price > ? ORDER BY id", (100,))
    cursor.fetchall()
    cursor.execute("INSERT INTO items (name, price) VALUES (?, ?)", ("kiwi", 7))
    cursor.close()
    connection.commit()


def commands(connection):
    connection.cmd_ping()
    connection.cmd_init_db("other")
    try:
        connection.cmd_init_db("missing_db")
    except mysql.connector.Error:
        pass
    statement = connection.cmd_stmt_prepare(b"UPDATE shop.items SET name = ? WHERE id = ?")
    # A file-like parameter goes as COM_STMT_SEND_LONG_DATA before the EXECUTE.
    connection.cmd_stmt_execute(statement["statement_id"], (io.BytesIO(b"long " * 6), 1),
                                statement["parameters"], 0)
    connection.cmd_stmt_reset(statement["statement_id"])
    connection.cmd_stmt_close(statement["statement_id"])
    try:
        connection.cmd_stmt_prepare(b"SELECT * FROM nowhere WHERE a = ?")
    except mysql.connector.Error:
        pass


def main():
    directory = tempfile.mkdtemp(prefix="sonde-mysql-fixtures-")
    subprocess.run(["mariadb-install-db", "--user=root", "--datadir=" + directory + "/data",
                    "--auth-root-authentication-method=normal", "--skip-test-db"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = subprocess.Popen(["mariadbd", "--no-defaults", "--user=root", "--datadir=" + directory + "/data",
                               "--socket=" + directory + "/sock", "--port", str(PORT),
                               "--bind-address=127.0.0.1", "--skip-grant-tables", "--skip-log-bin"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(PORT)
        setup = mysql.connector.connect(host="127.0.0.1", port=PORT, user="root", ssl_disabled=True, use_pure=True)
        cursor = setup.cursor()
        for statement in ["CREATE DATABASE shop", "CREATE DATABASE other",
                          "CREATE TABLE shop.items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40), price INT)",
                          "INSERT INTO shop.items (name, price) VALUES ('apple', 3), ('pear', 5), ('fig', 2)",
                          "CREATE PROCEDURE shop.two_results() BEGIN SELECT 1 AS a; SELECT name FROM items; END"]:
            cursor.execute(statement)
        setup.commit()
        setup.close()
        cli("cli_queries", "SELECT id, name FROM items ORDER BY id; "
                           "INSERT INTO items (name, price) VALUES ('plum', 4); "
                           "UPDATE items SET price = price + 1 WHERE name = 'pear'; "
                           "USE other; SELECT DATABASE()")
        cli("cli_error", "SELECT * FROM nowhere")
        cli("cli_multi_result", "CALL two_results()")
        cli("cli_large_result", "SELECT seq, REPEAT('abcdefgh', 100) FROM seq_1_to_200")
        connector("connector_prepared", prepared)
        connector("connector_commands", commands)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
