# fix-args: --unsafe-fixes --target-version py311
import asyncio
import MySQLdb
import psycopg
import psycopg2
import pymysql
import sqlite3


async def postgres(dsn, user_id):
    conn = await asyncio.to_thread(psycopg2.connect, dsn)
    cur = conn.cursor()
    await asyncio.to_thread(
        cur.execute, "SELECT name FROM users WHERE id = %s", (user_id,)
    )
    row = await asyncio.to_thread(cur.fetchone)
    with conn.cursor() as cur2:
        await asyncio.to_thread(
            cur2.executemany, "INSERT INTO log VALUES (%s)", [(1,), (2,)]
        )
    await asyncio.to_thread(conn.commit)
    return row


async def postgres3(dsn):
    with await asyncio.to_thread(psycopg.connect, dsn) as conn:
        cur = await asyncio.to_thread(conn.execute, "SELECT 1")
        rows = await asyncio.to_thread(cur.fetchall)
        await asyncio.to_thread(conn.rollback)
    return rows


async def mysql(params):
    conn = await asyncio.to_thread(pymysql.connect, **params)
    with conn.cursor() as cur:
        await asyncio.to_thread(cur.execute, "SELECT 1")
        result = await asyncio.to_thread(cur.fetchall)
    legacy = await asyncio.to_thread(MySQLdb.connect, host="db")
    await asyncio.to_thread(legacy.cursor().execute, "SELECT 1")
    return result


async def sqlite(path):
    # sqlite3 objects refuse to change threads: reported, never moved.
    db = sqlite3.connect(path)
    cur = db.execute("SELECT 1")
    cur.fetchall()
    db.commit()
