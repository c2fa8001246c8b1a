"""The Python runner's limits, for real: time, memory, output, network, scratch folder."""




from swarmbridge.sandbox.confine import landlock_works
from swarmbridge.sandbox.runner import Limits, detect_isolation, run_python


async def test_runs_in_scratch_and_reports_files(tmp_path):
    r = await run_python("open('out.csv','w').write('a,b\\n'); print('hi')", scratch_root=tmp_path, inputs={"in.txt": b"x"})
    assert r.status == "ok" and r.output.strip() == "hi"
    assert r.files == [{"name": "out.csv", "size": 4}]
    assert r.scratch.startswith(str(tmp_path))


async def test_time_limit_kills(tmp_path):
    r = await run_python("import time; time.sleep(30)", scratch_root=tmp_path, limits=Limits(timeout_s=0.5))
    assert r.status == "timeout"


async def test_memory_limit(tmp_path):
    r = await run_python("x = bytearray(800 * 1024 * 1024); print('allocated')", scratch_root=tmp_path, limits=Limits(memory_mb=256))
    assert r.status == "failed" and "MemoryError" in r.output and "allocated" not in r.output


async def test_output_cap(tmp_path):
    r = await run_python("print('x' * 100000)", scratch_root=tmp_path, limits=Limits(output_bytes=1000))
    assert r.truncated and len(r.output) <= 1000


async def test_network_is_cut_when_isolation_says_so(tmp_path):
    iso = detect_isolation()
    assert iso.network_blocked, f"this Linux machine should support a network namespace: {iso.detail}"
    probe = "import socket\ns=socket.socket(); s.settimeout(1)\ntry:\n s.connect(('127.0.0.1', 9)); print('reached')\nexcept ConnectionRefusedError:\n print('reached')\nexcept OSError as e:\n print('blocked', e.errno)"
    blocked = await run_python(probe, scratch_root=tmp_path)
    assert blocked.isolation == f"{iso.name}+landlock" and blocked.output.startswith("blocked")
    open_ = await run_python(probe, scratch_root=tmp_path, network=True)
    assert open_.output.startswith("reached") and open_.network_blocked is False


async def test_writes_are_confined_to_the_scratch_folder(tmp_path):
    works, why = landlock_works()
    assert works, f"this Linux machine supports Landlock: {why}"
    outside = tmp_path / "outside.txt"
    code = (f"import os, tempfile\nopen('kept.txt', 'w').write('in scratch')\ntempfile.NamedTemporaryFile(delete=False).write(b't')\n"
            f"for target in ({str(outside)!r}, os.path.expanduser('~/../escape.txt'), '/etc/swarmbridge-escape'):\n"
            f"    try:\n        open(target, 'w').write('x'); print('WROTE', target)\n    except PermissionError:\n        print('refused')\n"
            f"print(open('/etc/hostname').read() != '')")
    r = await run_python(code, scratch_root=tmp_path / "runs", network=True)
    assert r.status == "ok", r.output
    assert r.output.split() == ["refused", "refused", "refused", "True"], "reads are free; every write outside the folder refused"
    assert not outside.exists() and r.fs_confined and "Landlock ABI" in r.isolation_detail
    assert {f["name"] for f in r.files} >= {"kept.txt"} and len(r.files) == 2, "its own files (and temp files) stay in the scratch folder"
