"""Benchmark of the professional cards (issue 4).

Usage: python bench/cards.py [SHEET_CARDS]   (default 1000; HIRFA_VAR_DIR should point to a
fresh folder: `make bench` gives it var/bench-cards.)

Prints:
- one card PDF, rendered in a warm process (fonts already parsed), median of 40, beside the
  floor: the same two pages in bare fpdf2 (core font, same photo, QR and number of cells),
  interleaved in the same process, and the ratio (target ≤ 50 ms and ≤ 3×; wall and CPU;
  BENCH_PROFILE=1 prints where a card's time goes);
- the A4 print sheet of SHEET_CARDS different cards (target ≥ 100 cards/s);
- QR sign (encode) and verify (decode + signature check) per second, the Claim 169 card
  beside the RNA1 payload printed before (the floor, interleaved in the same process), and
  the QR code's size (version, modules) with and without a face image;
- the public online-verification endpoint (`GET /api/v1/cards/{number}/{version}/status`,
  and `POST /api/v1/cards/verify`) under `wrk` on loopback, served by granian, against a
  minimal Django view served by the same process in the same run (target ≥ 50 %).
"""

import cProfile
import io
import os
import pstats
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hirfa.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from fpdf import FPDF  # noqa: E402
from PIL import Image  # noqa: E402

from hirfa.cards import claim169, keys, pdf, qr  # noqa: E402
from hirfa.core.qrcodes import qr_matrix  # noqa: E402
from hirfa.register.numbers import make_number  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
FIRST = ["فاطمة", "محمد", "خديجة", "إبراهيم", "عائشة", "يوسف", "إيطو", "الحسين"]
FAMILY = ["أيت لحسن", "العلوي", "بناني", "أمزيان", "أوبلا", "التازي", "الصنهاجي", "بلحاج"]
LATIN_FIRST = ["Fatima", "Mohamed", "Khadija", "Brahim", "Aicha", "Youssef", "Itto", "Lahcen"]
LATIN_FAMILY = ["AIT LAHCEN", "ALAOUI", "BENNANI", "AMZIAN", "OUBELLA", "TAZI", "SANHAJI", "BELHAJ"]


def photo(index: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 380), (150 + index % 90, 120, 100 + index % 50)).save(
        buffer, format="JPEG", quality=85
    )
    return buffer.getvalue()


def faces(count: int, key) -> list[pdf.CardFace]:
    out = []
    for i in range(count):
        number = make_number(100_000_001 + i)
        name_ar = f"{FIRST[i % 8]} {FAMILY[i // 8 % 8]}"
        name_latin = f"{LATIN_FIRST[i % 8]} {LATIN_FAMILY[i // 8 % 8]}"
        claims = qr.CardClaims(number, 1 + i % 3, name_ar, name_latin, "artisan_experience",
                               "01.02.03", "09.581")  # fmt: skip
        text = qr.encode_card(claims, issued_at=1_767_225_600, expires_at=1_924_991_999,
                              private_key=key.private_key, kid=key.kid)  # fmt: skip
        out.append(
            pdf.CardFace(
                number,
                claims.version,
                name_ar,
                name_latin,
                "ⴼⴰⴹⵎⴰ" if i % 5 == 0 else "",
                "صانع تقليدي (ذو خبرة)",
                "Artisan (expérience)",
                "صناعة الحلي الفضية",
                "Bijouterie en argent",
                "تيزنيت",
                "Tiznit",
                date(2026, 1, 1),
                date(2030, 12, 31),
                text,
                "https://rna.example.ma/verify/",
                photo(i),
            )
        )
    return out


def bare_card(face: pdf.CardFace) -> bytes:
    """The floor: the card's two pages in bare fpdf2 — the same size, photo, rectangles, QR
    path and number of text cells (48), in a core font (nothing to embed, no shaping)."""
    texts = [
        text.encode("latin-1", "replace").decode("latin-1")
        for text in (face.name_latin, face.category_fr, face.activity_fr, face.province_fr,
                     pdf.COUNTRY_FR, pdf.REGISTER_FR, pdf.TITLE_FR, pdf.NUMBER_FR,
                     face.number, face.verify_url, pdf.ISSUED_FR, pdf.EXPIRES_FR)
    ]  # fmt: skip
    document = FPDF(unit="mm", format=(pdf.HEIGHT, pdf.WIDTH), orientation="landscape")
    document.set_auto_page_break(False)
    document.set_margins(0, 0, 0)
    document.set_font("helvetica", size=5)
    for page in range(2):
        document.add_page()
        document.set_fill_color(*pdf.ACCENT)
        document.rect(0, 0, pdf.WIDTH, 9, "F")
        if page == 0 and face.photo:
            document.image(io.BytesIO(face.photo), 3, 14.2, 19, 24, keep_aspect_ratio=True)
        if page == 1:
            pdf._draw_qr(document, 4, 8, 38, face.qr_text)
        for i in range(24):
            document.set_xy(24 + (i % 2) * 30, 10 + (i // 2) * 3.5)
            document.cell(30, 3, texts[(page * 24 + i) % len(texts)])
    return bytes(document.output())


def bench_pdf(sheet_cards: int, key) -> None:
    sample = faces(sheet_cards, key)
    pdf.render_card(sample[0])  # parses the fonts once per process, as a server does
    bare_card(sample[0])
    walls, cpus, floor_walls, floor_cpus = [], [], [], []
    for face in sample[:40]:  # interleaved, so that both see the same load
        for render, wall, cpu in ((pdf.render_card, walls, cpus),
                                  (bare_card, floor_walls, floor_cpus)):  # fmt: skip
            start, start_cpu = time.perf_counter(), time.process_time()
            render(face)
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
    card, floor = statistics.median(walls) * 1000, statistics.median(floor_walls) * 1000
    card_cpu, floor_cpu = statistics.median(cpus) * 1000, statistics.median(floor_cpus) * 1000
    print(f"card PDF (one card, front and back): {card:.1f} ms median of 40 (CPU {card_cpu:.1f})"
          f"; bare fpdf2 card, same run: {floor:.1f} ms (CPU {floor_cpu:.1f}); "
          f"ratio {card / floor:.1f}× (CPU {card_cpu / floor_cpu:.1f}×) "
          f"(target ≤ 50 ms and ≤ 3×)")  # fmt: skip
    if os.environ.get("BENCH_PROFILE"):
        profile = cProfile.Profile()
        profile.runcall(lambda: [pdf.render_card(face) for face in sample[:20]])
        pstats.Stats(profile).sort_stats(
            os.environ.get("BENCH_PROFILE_SORT", "tottime")
        ).print_stats(15)
    start = time.perf_counter()
    data = pdf.render_sheet(sample)
    elapsed = time.perf_counter() - start
    rate = sheet_cards / elapsed
    print(f"print sheet of {sheet_cards} cards: {elapsed:.2f} s, {rate:.0f} cards/s "
          f"(target ≥ 100), {len(data) / 1e6:.1f} MB")  # fmt: skip


def _rates(encode, n: int = 3000) -> tuple[float, float, str]:
    start = time.perf_counter()
    for _ in range(n):
        text = encode()
    signed = n / (time.perf_counter() - start)
    start = time.perf_counter()
    for _ in range(n):
        qr.decode_card(text, keys.public_key)
    verified = n / (time.perf_counter() - start)
    return signed, verified, text


def face_image(kind: str = "WEBP", size=(36, 48), quality: int = 20) -> bytes:
    """A small grey face (docs/decisions/0062): a portrait with a photo's grain (seeded
    noise; a flat test colour would compress to nothing), 36 × 48 WebP at quality 20 being
    the smallest worth showing."""
    import random

    rng = random.Random(7)
    portrait = Image.new("L", (300, 380), 200)
    portrait.putdata([max(0, min(255, 150 + (x * y) % 37 + rng.randint(-30, 30)))
                      for y in range(380) for x in range(300)])  # fmt: skip
    buffer = io.BytesIO()
    portrait.resize(size).save(buffer, format=kind, quality=quality)
    return buffer.getvalue()


def bench_qr(key) -> None:
    """Sign+encode and verify per second: the RNA1 payload (the floor, same process,
    interleaved) beside the Claim 169 card; then the QR code's size with and without a face."""
    claims = qr.CardClaims("1000000018", 1, "فاطمة أيت لحسن", "Fatima AIT LAHCEN",
                           "artisan_experience", "01.02.03", "09.581", first_name_ar="فاطمة",
                           last_name_ar="أيت لحسن", birth_date="1984-04-18", gender=2)  # fmt: skip
    sign = dict(issued_at=1, expires_at=2, private_key=key.private_key, kid=key.kid)
    old = [0.0, 0.0]
    new = [0.0, 0.0]
    for _ in range(2):  # interleaved: the machine's load weighs on both alike
        signed, verified, old_text = _rates(lambda: qr.encode_card(claims, **sign))
        old = [max(old[0], signed), max(old[1], verified)]
        signed, verified, new_text = _rates(
            lambda: claim169.encode_card(claims, status_index=123_456, **sign)
        )
        new = [max(new[0], signed), max(new[1], verified)]
    print(f"QR sign+encode: RNA1 {old[0]:,.0f}/s, Claim 169 {new[0]:,.0f}/s "
          f"(ratio {new[0] / old[0]:.2f})")  # fmt: skip
    print(f"QR verify:      RNA1 {old[1]:,.0f}/s, Claim 169 {new[1]:,.0f}/s "
          f"(ratio {new[1] / old[1]:.2f})")  # fmt: skip
    camera = qr.camera_url("https://rna.artisanat.gov.ma", old_text)
    rows = [("RNA1 camera address (before)", camera), ("Claim 169", new_text)]
    for kind, size, quality in (("WEBP", (36, 48), 20), ("JPEG", (48, 64), 30)):
        face = face_image(kind, size, quality)
        text = claim169.encode_card(replace(claims, face=face), status_index=123_456, **sign)
        rows.append((f"Claim 169 + {len(face)}-byte {kind} face {size[0]}x{size[1]}", text))
    for label, text in rows:
        side, _ = qr_matrix(text)
        print(f"QR {label}: {len(text)} chars, version {(side - 17) // 4}, {side} modules, "
              f"{38 / side:.2f} mm on the card's 38 mm")  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wrk(url: str, script: str | None = None) -> float:
    command = ["wrk", "-t2", "-c16", "-d5s", "--latency", url]
    if script:
        command[1:1] = ["-s", script]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("Requests/sec"))
    return float(line.split()[1])


def bench_endpoint(card_text: str, number: str) -> None:
    if shutil.which("wrk") is None:
        print("wrk is not installed: endpoint figures skipped (apt-get install wrk)")
        return
    port = free_port()
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "cards_site",
        "PYTHONPATH": f"{ROOT / 'bench'}:{ROOT}",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    server = subprocess.Popen(
        [BIN / "granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
         "--workers", "1", "--blocking-threads", "4", "--no-ws", "--log-level", "warning",
         "hirfa.wsgi:application"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        status_url = f"{base}/api/v1/cards/{number}/1/status"
        subprocess.run(["curl", "-sf", "-o", "/dev/null", status_url], check=True)
        wrk(f"{base}/bench/minimal")  # warm-up
        minimal = wrk(f"{base}/bench/minimal")
        status = wrk(status_url)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            body = '{"qr": "' + card_text + '"}'
            script.write(
                'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                f"wrk.body = '{body}'\n"
            )
        verify = wrk(f"{base}/api/v1/cards/verify", script.name)
        # The same POST, body and headers to the minimal view: the verification's floor.
        minimal_post = wrk(f"{base}/bench/minimal", script.name)
        os.unlink(script.name)
        setup = "granian, 1 worker, 4 threads; wrk -t2 -c16"
        print(f"minimal Django view: {minimal:,.0f} req/s GET, {minimal_post:,.0f} req/s POST "
              f"({setup})")  # fmt: skip
        print(f"GET  card status:    {status:,.0f} req/s = {status / minimal:.0%} of minimal "
              f"GET (target ≥ 50 %)")  # fmt: skip
        print(f"POST card verify:    {verify:,.0f} req/s = {verify / minimal_post:.0%} of minimal "
              f"POST (target ≥ 50 %)")  # fmt: skip
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=20)


def prepare_card() -> tuple[str, str]:
    """A real card in the database: a small demo register, approved through the services,
    and its first cards issued."""
    from hirfa.cards.models import Card
    from hirfa.cards.services import issue_first_cards
    from hirfa.register.demo import load_demo_register

    call_command("migrate", verbosity=0)
    call_command("load_territory", stdout=io.StringIO())
    call_command("load_crafts", stdout=io.StringIO())
    load_demo_register(count=12)
    # The approvals asked for a batch job due a moment later; issue what it would, now.
    issue_first_cards()
    card = Card.objects.filter(status=Card.Status.CURRENT).select_related("registration").first()
    return card.qr_text, card.registration.number


def main() -> None:
    sheet_cards = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    if not any(k.valid_at(django.utils.timezone.now()) for k in keys.all_keys()):
        keys.create_key()
    key = keys.signing_key()
    print(f"--- cards ({django.db.connection.vendor}) ---")
    bench_pdf(sheet_cards, key)
    bench_qr(key)
    text, number = prepare_card()
    bench_endpoint(text, number)


if __name__ == "__main__":
    main()
