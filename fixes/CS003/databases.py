# fix-args: --unsafe-fixes --target-version py311
import MySQLdb
import psycopg
import psycopg2
import pymysql
import sqlite3


async def postgres(dsn, user_id):
    conn = psycopg2.connect(dsn)
    cur = conn.cursor()
    cur.execute("SELECT name FROM users WHERE id = %s", (user_id,))
    row = cur.fetchone()
    with conn.cursor() as cur2:
        cur2.executemany("INSERT INTO log VALUES (%s)", [(1,), (2,)])
    conn.commit()
    return row


async def postgres3(dsn):
    with psycopg.connect(dsn) as conn:
        cur = conn.execute("SELECT 1")
        rows = cur.fetchall()
        conn.rollback()
    return rows


async def mysql(params):
    conn = pymysql.connect(**params)
    with conn.cursor() as cur:
        cur.execute("SELECT 1")
        result = cur.fetchall()
    legacy = MySQLdb.connect(host="db")
    legacy.cursor().execute("SELECT 1")
    return result


async def sqlite(path):
    # sqlite3 objects refuse to change threads: reported, never moved.
    db = sqlite3.connect(path)
    cur = db.execute("SELECT 1")
    cur.fetchall()
    db.commit()
