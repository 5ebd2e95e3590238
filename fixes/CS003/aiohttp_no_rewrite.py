# fix-args: --unsafe-fixes --target-version py311
import requests

session = requests.Session()


async def returned(url):
    r = requests.get(url)
    return r


async def passed_on(url, sink):
    r = requests.get(url)
    sink(r)


async def stored(url, cache):
    r = requests.get(url)
    cache[url] = r


async def streamed(url):
    r = requests.get(url, stream=True)
    for chunk in r.iter_content(1024):
        print(chunk)


async def cookies(url):
    r = requests.get(url)
    return r.cookies.get("sid")


async def used_after_branch(url, fast):
    if fast:
        r = requests.get(url)
    else:
        r = None
    return r.status_code if r else None


async def captured(url):
    r = requests.get(url)
    return lambda: r.json()


async def in_generator(url):
    r = requests.get(url)
    return list(x for x in r.json())


async def json_kwargs(url):
    r = requests.get(url)
    return r.json(parse_float=str)


async def through_session(url):
    r = session.get(url)
    return r.json()


async def not_a_plain_assignment(url, out):
    out.r = requests.get(url)
    data: dict = requests.get(url).json()
    return data


async def auth(url):
    r = requests.get(url, auth=("user", "pw"))
    return r.json()


async def handles_requests_errors(url):
    try:
        r = requests.get(url, timeout=5)
        r.raise_for_status()
    except (requests.Timeout, requests.HTTPError):
        return None
    return None
