"""The whole-surface sweep: every catalog operation, called through its generated
method with the emulator's sample parameters (``GET /admin/samples``), must succeed
and decode into its declared type.
"""

import asyncio
import importlib
import urllib.error
import warnings

import pytest

import purecore
from purecore import _generated
from purecore.api_client import _decode, _op_info
from purecore.models import Model

from conftest import CLIENT_ID, CLIENT_SECRET


class _Recorder:
    def __init__(self):
        self.calls = []

    def call_operation(self, operation_id, params, headers=None):
        self.calls.append((operation_id, params))


class _Sentinel:
    def __init__(self, tag):
        self.tag = tag


def generated_methods():
    """operation id -> (API class, method name, {spec name: position}, {spec name: keyword}),
    read from the generated classes themselves by calling them with a recorder."""
    found = {}
    for class_name, module_name in sorted(_generated._MODULES.items()):
        module = importlib.import_module("purecore._generated." + module_name)
        cls = getattr(module, class_name)
        allowed = {}
        original = module._check_kwargs
        module._check_kwargs = lambda method, kwargs, names: allowed.__setitem__(method, names)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                for name in sorted(vars(cls)):
                    fn = getattr(cls, name)
                    if name.startswith("_") or not callable(fn):
                        continue
                    argcount = fn.__code__.co_argcount - 1
                    recorder = _Recorder()
                    api = cls(recorder)
                    positional = [_Sentinel(i) for i in range(argcount)]
                    getattr(api, name)(*positional)
                    keywords = {kw: _Sentinel(kw) for kw in allowed[name]}
                    getattr(api, name)(*positional, **keywords)
                    (op_id, params), (_, params_kw) = recorder.calls
                    pos = {spec: v.tag for spec, v in params.items() if isinstance(v, _Sentinel)}
                    kws = {spec: v.tag for spec, v in params_kw.items() if spec not in pos}
                    found.setdefault(op_id, (cls, name, pos, kws))
        finally:
            module._check_kwargs = original
    return found


def fetch_samples(emu):
    try:
        return emu.admin("GET", "/admin/samples")["operations"]
    except urllib.error.HTTPError as e:
        pytest.fail(
            "the emulator has no GET /admin/samples yet (HTTP %d): the conformance sweep cannot run until the "
            "emulator answers every catalog operation and publishes sample parameters" % e.code
        )


def test_every_generated_method_maps_to_a_catalog_operation():
    methods = generated_methods()
    assert len(methods) > 3000
    for op_id in methods:
        assert _op_info(op_id)[0] in ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")


def sweep_cases(emu):
    """(operation id, API class, method name, args, kwargs) for every sample."""
    samples = fetch_samples(emu)
    methods = generated_methods()
    assert len(samples) > 3000 and {s["id"] for s in samples} >= set(methods), "a sample for every generated method"
    for sample in samples:
        entry = methods.get(sample["id"])
        if entry is None:
            yield sample["id"], None, None, None, None
            continue
        cls, name, pos, kws = entry
        params = sample.get("params", {})
        args = [None] * len(pos)
        for spec, index in pos.items():
            args[index] = params.get(spec)
        kwargs = {kws[spec]: value for spec, value in params.items() if spec in kws}
        yield sample["id"], cls, name, args, kwargs


def check(op_id, cls, name, outcome):
    if cls is None:
        return "%s: no generated method" % op_id
    if isinstance(outcome, Exception):
        return "%s.%s: %s" % (cls.__name__, name, str(outcome).splitlines()[:3])
    rtype = _op_info(op_id)[2]
    if rtype and rtype.startswith("#") and outcome is not None and type(outcome).__name__ != rtype[1:]:
        return "%s: decoded as %s, declared %s" % (op_id, type(outcome).__name__, rtype)
    return None


def deep(value):
    """A value with every type spelled out (1 and 1.0 differ), models by class and attributes in order."""
    if isinstance(value, Model):
        return (type(value).__name__, [(k, deep(v)) for k, v in vars(value).items()])
    if isinstance(value, list):
        return [deep(v) for v in value]
    if isinstance(value, dict):
        return ("dict", [(k, deep(v)) for k, v in value.items()])
    return (type(value).__name__, value)


def same_as_python_decoding(op_id, outcome, api_client):
    """The reply turned into objects natively must equal what the Python decoder makes of the same body."""
    expected = _decode(op_id, api_client.last_response)
    if deep(outcome) != deep(expected):
        return "%s: decoded natively as %r, the Python decoder gives %r" % (op_id, outcome, expected)
    return None


def report(failures):
    failures = [f for f in failures if f]
    assert not failures, "%d operations failed:\n%s" % (len(failures), "\n".join(failures[:40]))


def test_every_operation_succeeds_through_its_generated_method(emu, make_config):
    api_client = purecore.ApiClient(make_config()).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    failures = []
    decoded = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for op_id, cls, name, args, kwargs in sweep_cases(emu):
            try:
                outcome = getattr(cls(api_client), name)(*args, **kwargs) if cls else None
            except Exception as err:  # collected so one run reports every failing operation
                outcome = err
            failure = check(op_id, cls, name, outcome)
            if failure is None and cls is not None:
                decoded += 1
                failure = same_as_python_decoding(op_id, outcome, api_client)
            failures.append(failure)
    report(failures)
    assert decoded > 3000


def test_every_operation_succeeds_through_the_asyncio_client(emu, make_config):
    async def main():
        api_client = await purecore.AsyncApiClient(make_config()).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
        limit = asyncio.Semaphore(32)

        async def one(op_id, cls, name, args, kwargs):
            if cls is None:
                return check(op_id, cls, name, None)
            async with limit:
                try:
                    outcome = await getattr(cls(api_client), name)(*args, **kwargs)
                except Exception as err:  # collected so one run reports every failing operation
                    outcome = err
            return check(op_id, cls, name, outcome)

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return await asyncio.gather(*[one(*case) for case in sweep_cases(emu)])

    report(asyncio.run(main()))
