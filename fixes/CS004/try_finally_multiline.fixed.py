import asyncpg


async def export(dsn, path, rows):
    if rows:
        conn = await asyncpg.connect(dsn)  # one connection for the export
        try:
            # Fetch everything first.
            records = await conn.fetch(
                """
            SELECT id, name
              FROM users
            """,
            )

            for record in records:
                # Skip deleted users.
                if record["name"] is None:
                    continue
                rows.append(dict(record))

            # Done.
            with open(path, "w") as out:
                out.write(f"""{len(rows)}
rows""")
        finally:
            await conn.close()
    return rows
