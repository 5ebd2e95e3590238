import asyncio


async def probe(host):
    return host


async def report_each_by_index(hosts):
    # The element is read into a name first, then tested.
    outcomes = await asyncio.gather(*(probe(h) for h in hosts), return_exceptions=True)
    for position, host in enumerate(hosts):
        outcome = outcomes[position]
        if isinstance(outcome, BaseException):
            print("probe of", host, "failed:", outcome)
            continue
        print(host, "answered", outcome)


async def unpacked_pair(primary, backup):
    first, second = await asyncio.gather(probe(primary), probe(backup), return_exceptions=True)
    if isinstance(first, Exception):
        raise first
    if isinstance(second, Exception):
        raise second
    return first + second


async def keyed_by_host(hosts):
    outcomes = await asyncio.gather(*(probe(h) for h in hosts), return_exceptions=True)
    by_host = dict(zip(hosts, outcomes))
    for host, outcome in by_host.items():
        if isinstance(outcome, Exception):
            print(host, "is down:", outcome)
    return by_host


async def keyed_in_a_comprehension(hosts):
    outcomes = await asyncio.gather(*(probe(h) for h in hosts), return_exceptions=True)
    by_host = {host: outcome for host, outcome in zip(hosts, outcomes)}
    return {host: v for host, v in by_host.items() if not isinstance(v, Exception)}


async def enumerated_pairs(hosts):
    outcomes = await asyncio.gather(*(probe(h) for h in hosts), return_exceptions=True)
    for pair in enumerate(outcomes):
        if isinstance(pair[1], Exception):
            raise pair[1]
    return outcomes


async def walrus_in_a_test(hosts):
    if any(isinstance(o, Exception) for o in (found := await asyncio.gather(*map(probe, hosts), return_exceptions=True))):
        return []
    return found
