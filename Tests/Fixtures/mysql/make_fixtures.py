#!/usr/bin/env python3
"""Regenerates the MySQL fixtures from a real MariaDB server, through a recording TCP proxy.

Each fixture is one TCP connection seen from the client, written as NAME.chunks (the format is in
../chunk_recording.py). Chunk boundaries are the real send()/recv() ones.

Usage: python3 make_fixtures.py   (as root; needs mariadb-server, mariadb-client and
mysql-connector-python; uses ports 13306 and 13307)
"""
import io
import os
import shutil
import subprocess
import sys
import tempfile

import mysql.connector

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from chunk_recording import RecordingProxy, save_chunks, wait_for_port  # noqa: E402
PORT = 13306
PROXY_PORT = 13307


def save(name, chunks):
    save_chunks(HERE, name, chunks)


def cli(name, statements, database="shop"):
    """The mariadb command-line client running `statements` (one -e, several statements)."""
    proxy = RecordingProxy(PROXY_PORT, PORT)
    subprocess.run(["mariadb", "-h", "127.0.0.1", "-P", str(PROXY_PORT), "-u", "root", "--skip-ssl",
                    "-D", database, "-e", statements], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    proxy.thread.join()
    save(name, proxy.chunks)


def connector(name, body):
    """mysql-connector-python (pure Python, plaintext) running `body(connection)`."""
    proxy = RecordingProxy(PROXY_PORT, PORT)
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
