"""The printed workbook (`kkmp latihan buku`, #20): every exercise's story, the commands, an empty
debit/credit table to fill in by hand and the question; with the key, the answers. Plain data
for the templates `latihan-buku.html.j2` / `latihan-buku.md.j2`, which do no arithmetic."""

from __future__ import annotations

from typing import Any

from kkmp_cli import dates
from kkmp_cli.workshop import classroom
from kkmp_cli.workshop.exercises import Exercises

# The terms a new treasurer meets first, in plain Indonesian.
GLOSSARY: tuple[tuple[str, str], ...] = (
    (
        "Debit dan kredit",
        "Dua sisi setiap catatan. Debit di kiri, kredit di kanan. Setiap transaksi dicatat di "
        "dua sisi dengan jumlah yang sama, sehingga buku selalu seimbang.",
    ),
    (
        "Aset",
        "Harta koperasi: kas, uang di bank, piutang, persediaan barang, gedung, kendaraan. "
        "Bertambah di debit, berkurang di kredit.",
    ),
    (
        "Kewajiban",
        "Utang koperasi kepada pihak lain: simpanan sukarela anggota, utang bank, utang kepada "
        "pemasok. Bertambah di kredit, berkurang di debit.",
    ),
    (
        "Ekuitas",
        "Modal sendiri: simpanan pokok dan wajib anggota, cadangan, hibah, SHU yang belum "
        "dibagi. Bertambah di kredit. Aset = kewajiban + ekuitas.",
    ),
    (
        "Pendapatan dan beban",
        "Pendapatan (penjualan, jasa pinjaman, layanan klinik) bertambah di kredit; beban "
        "(gaji, listrik, bunga bank, penyusutan) bertambah di debit. Selisihnya adalah SHU.",
    ),
    (
        "HPP",
        "Harga pokok penjualan: harga beli barang yang sudah terjual. Dicatat sebagai beban "
        "saat barang dijual, dan persediaan berkurang sebesar itu.",
    ),
    (
        "SHU",
        "Sisa hasil usaha: pendapatan setahun dikurangi semua beban. Sesudah tutup buku, RAT "
        "memutuskan pembagiannya menurut AD/ART: cadangan, jasa modal, jasa usaha, dana-dana.",
    ),
    (
        "Jasa",
        "Jasa pinjaman: bunga yang dibayar anggota atas pinjamannya (pendapatan koperasi). Jasa "
        "modal dan jasa usaha: bagian SHU untuk anggota menurut simpanannya dan menurut "
        "belanja atau pinjamannya di koperasi.",
    ),
    (
        "Kolektibilitas",
        "Golongan kelancaran pinjaman menurut lamanya tunggakan: lancar, dalam perhatian "
        "khusus, kurang lancar, diragukan, macet. Makin macet, makin besar penyisihan piutang.",
    ),
    (
        "Penyusutan",
        "Bagian harga gedung, kendaraan atau mesin yang dibebankan setiap bulan selama umur "
        "manfaatnya. Tidak ada uang keluar; nilai buku aset turun dan SHU berkurang.",
    ),
    (
        "Neraca dan PHU",
        "Neraca (laporan posisi keuangan): aset, kewajiban dan ekuitas pada satu tanggal. PHU "
        "(perhitungan hasil usaha): pendapatan dan beban selama setahun, hasilnya SHU.",
    ),
    (
        "Tutup buku dan RAT",
        "Tutup buku: akhir tahun, saldo pendapatan dan beban dipindah ke SHU, lalu tahun itu "
        "disegel. RAT: rapat anggota tahunan yang mengesahkan laporan dan pembagian SHU.",
    ),
)


def context(found: Exercises, *, with_key: bool) -> dict[str, Any]:
    """Everything the workbook templates print, amounts already formatted."""
    items = []
    for ex in found.daftar:
        writing = max(1, len(ex.kunci))
        items.append(
            {
                "nomor": ex.nomor,
                "judul": ex.judul,
                "cerita": ex.cerita,
                "perintah": list(ex.perintah),
                "butuh": ", ".join(str(n) for n in ex.butuh) if ex.butuh else "",
                "per": dates.fmt(ex.per),
                "pertanyaan": ex.pertanyaan,
                "baris": list(range(1, min(12, 2 * writing + 2) + 1)),
                "kunci": [f"kkmp {line}" for line in ex.kunci] if with_key else [],
                "jawaban": ex.jawaban if with_key else "",
                "harapan": [
                    {"pos": exp.label, "nilai": classroom.show(exp.nilai, exp.ukuran)}
                    for exp in ex.harapan
                ]
                if with_key
                else [],
            }
        )
    return {
        "koperasi": found.koperasi,
        "tahun": found.tahun,
        "kunci": with_key,
        "latihan": items,
        "glosarium": [{"istilah": term, "arti": text} for term, text in GLOSSARY],
    }
