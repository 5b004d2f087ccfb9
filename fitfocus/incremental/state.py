"""What one build leaves for the next, and the seams where the pipeline uses it: loading (records
of unchanged files), page keys (pages whose inputs are unchanged are not rendered), and writing
(unchanged files are taken from the output as they are).

`BuildState.open` reads what the last `build` stored in the cache folder; the dev server keeps
one `BuildState` in memory from one rebuild to the next. Without a cache folder nothing is kept
on disk, and a fresh state reuses nothing.
"""

from __future__ import annotations

import gc
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from fitfocus.build.images import Pictures
from fitfocus.build.render import BodyStore, MemoryBodies, Renderer
from fitfocus.build.templates import TemplateFiles, check_templates
from fitfocus.build.write import MARKER, Spare, spare_of
from fitfocus.content.library import Library, post_interface
from fitfocus.content.loader import Loaded
from fitfocus.content.model import Post
from fitfocus.incremental.cache import digest, engine_fingerprint, read_cache, write_cache
from fitfocus.incremental.fingerprints import Fingerprints
from fitfocus.incremental.bodies import KeyedBodies
from fitfocus.incremental.keys import TemplateUse, body_surroundings, page_keys, template_use
from fitfocus.incremental.markdown_cache import MarkdownCache
from fitfocus.incremental.records import CachedReader, Entry, FileKeys, RecordsCache, Stamp, file_stamp, linked_stamp
from fitfocus.pages.plan import PagePlan, edited_post_places
from fitfocus.pages.urls import output_file
from fitfocus.problems import Problem

_NO_FILE = (-1, -1, -1, -1)


@dataclass
class Output:
    """What the output folder holds, as the last build wrote it."""

    folder: str  # the resolved path it was written to
    marker: Stamp  # the stamp of its marker file: another build writing there changes it
    keys: dict[str, str]  # rendered file -> the key of the page it holds
    inodes: dict[str, int]  # every file -> its inode
    stamps: dict[str, Stamp]  # rendered file -> its stamp, when the record is kept on disk (`unchanged_pages`)
    copies: dict[str, Stamp | None]  # copied file -> the stamp of its source when copied
    spare: Spare | None  # what the spare folder holds, when known
    inputs: str | None = None  # `BuildState.site_inputs` of the build that wrote it, when it planned every page
    # The stamp of the spare's marker file: a build killed after marking the spare anew and before
    # the exchange leaves a marked spare that holds something else, which this tells apart.
    spare_marker: Stamp | None = None


@dataclass
class LastBuild:
    """What the dev server's quick rebuilds start from (memory only)."""

    loaded: Loaded
    templates: TemplateFiles
    library: Library
    plans: list[PagePlan]
    places: dict[str, tuple[int, ...]] | None = None  # pages.plan.edited_post_places of `plans`, once known
    pictures: Pictures | None = None  # what the picture step found (and kept)


@dataclass
class BuildState:
    """The records, page keys and output of the last build, and the caches builds share."""

    cache: Path | None
    records: dict[str, Entry] = field(default_factory=dict)
    outputs: dict[str, Output] = field(default_factory=dict)  # by the folder's resolved path
    fingerprints: Fingerprints = field(default_factory=Fingerprints)
    file_keys: FileKeys = field(default_factory=FileKeys)
    template_uses: dict[str, dict[str, TemplateUse]] = field(default_factory=dict)  # by a hash of the templates
    template_checks: dict[str, tuple[Problem, ...]] = field(default_factory=dict)  # by a hash of what is checked
    bodies: BodyStore = field(default_factory=MemoryBodies)
    last: LastBuild | None = None
    from_disk: bool = False  # the outputs were read from disk: check each file is untouched
    keep_plans: bool = False  # every build plans every page, for the quick rebuilds after it (the dev server)
    persist: bool = False  # write what each build did into the cache folder
    _records_cache: RecordsCache | None = None
    _renderer: Renderer | None = None
    _scratch: tempfile.TemporaryDirectory[str] | None = None
    _new_template_use: bool = False
    _new_template_check: bool = False

    @classmethod
    def open(cls, cache: Path | None, keep_plans: bool = False) -> BuildState:
        """The state the last build stored in `cache` (a fresh one without a cache folder)."""
        if cache is None:
            return cls(None, keep_plans=keep_plans)
        stored = RecordsCache(cache)
        outputs = read_cache(cache, "outputs")
        fingerprints = Fingerprints()
        records = stored.entries()
        if records:
            # What was just read lives all build long: the collector need not look through it again and
            # again. (A cache from another engine was dropped, garbage cycles and all: nothing to keep.)
            gc.freeze()
        return cls(cache, records, outputs if all(isinstance(o, Output) for o in outputs.values()) else {},
                   fingerprints=fingerprints, bodies=KeyedBodies(MarkdownCache(cache / "markdown"), fingerprints),
                   template_uses=read_cache(cache, "templates"), template_checks=read_cache(cache, "template-checks"),
                   from_disk=True, persist=True, keep_plans=keep_plans, _records_cache=stored)

    # --- Loading -----------------------------------------------------------------------------------

    def reader(self, changed: frozenset[str] | None, workers: int = 1) -> CachedReader:
        """A loader reader that reuses the records of unchanged files (`changed` and `workers`: see CachedReader)."""
        return CachedReader(self.records, changed if self.last is not None else None, workers)

    # --- Checking ----------------------------------------------------------------------------------

    def template_problems(self, folder: Path, templates: TemplateFiles, root: Path) -> list[Problem]:
        """`build.templates.check_templates` of these templates, the last answer when they are the same."""
        # Parsing every template is most of a warm build's checking; the answer depends on nothing else.
        key = digest(str(folder), str(root), str(folder.is_dir()), *(part for pair in templates for part in pair))
        problems = self.template_checks.get(key)
        if problems is None:
            problems = tuple(check_templates(folder, templates, root))
            self.template_checks = {key: problems}
            self._new_template_check = True
        return list(problems)

    # --- Page keys ---------------------------------------------------------------------------------

    def page_keys(self, plans: list[PagePlan], library: Library, templates: TemplateFiles,
                  reader: CachedReader) -> dict[str, str]:
        """The key of every page `plans` make (see incremental/keys.py)."""
        self.fingerprints.start_build(self.file_keys.update(reader.entries, reader.previous, reader.only_changed))
        use = self._template_use(templates)
        if isinstance(self.bodies, KeyedBodies):
            self.bodies.start_build(body_surroundings(library, templates, self.fingerprints, use))
        return page_keys(plans, library, templates, self.fingerprints, use)

    def _template_use(self, templates: TemplateFiles) -> dict[str, TemplateUse]:
        """What each template uses (parsing them all is slow: the last build's answer is kept)."""
        sources = digest(*(part for pair in templates for part in pair))
        use = self.template_uses.get(sources)
        if use is None:
            use = template_use(templates)
            self.template_uses = {sources: use}
            self._new_template_use = True
        return use

    def site_inputs(self, library: Library, templates: TemplateFiles, reader: CachedReader) -> str:
        """A hash of all that every page is planned and keyed from: the library (its records by the
        keys of their files) and the templates. `pages.plan.plan_pages` and `incremental.keys.page_keys`
        are functions of these alone, so a build from the same inputs has the same page keys."""
        self.fingerprints.start_build(self.file_keys.update(reader.entries, reader.previous, reader.only_changed))
        return _inputs(self.fingerprints, library, templates)

    def edited_keys(self, out: Path, plans: list[PagePlan], library: Library, templates: TemplateFiles,
                    reader: CachedReader) -> dict[str, str] | None:
        """The key of every page `plans` make, when the build that wrote `out` planned every page
        from the inputs these are but for posts edited without changing their interface
        (`content.library.post_interface`): then only the pages that show more of those posts than
        their interface (`pages.plan.edited_post_places`: their own pages and the feeds carrying
        them) are keyed again, and every other page keeps the key its file has. Otherwise None.

        This is the dev server's quick rebuild (incremental/quick.py) for a build that starts from
        the cache folder: the inputs are compared with those of the output (`site_inputs`), the edited
        posts counted as their versions the last build read, and the plans are made anew."""
        output = self._output_of(out)
        edited = _edited_posts(reader) if output is not None and output.inputs is not None else None
        if not edited:
            return None
        # The library as the last build had it, but for what the edited posts show beyond their interface.
        as_before = dict(self.file_keys.update(reader.entries, reader.previous, reader.only_changed))
        as_before.update({id(record): key for record, key in edited.values()})
        if _inputs(Fingerprints(as_before), library, templates) != output.inputs:
            return None
        known = output.keys
        keys = {}
        for plan in plans:
            name = output_file(plan.path)
            if name not in known:
                return None
            keys[name] = known[name]
        places = edited_post_places(plans)
        again = [plans[index] for index in sorted({index for slug in edited for index in places.get(slug, ())})]
        keys.update(self.page_keys(again, library, templates, reader))
        return keys

    def same_site(self, out: Path, inputs: str) -> dict[str, str] | None:
        """The page keys of the output, when the build that wrote it had these `inputs` and every
        page it wrote is untouched; otherwise None (plan and key every page)."""
        output = self._output_of(out)
        if output is None or output.inputs != inputs:
            return None
        return output.keys if len(self.unchanged_pages(out, output.keys)) == len(output.keys) else None

    def unchanged_pages(self, out: Path, keys: dict[str, str]) -> set[str]:
        """The pages whose key is the one the output's file was rendered with (when the state came
        from disk, only if that file is untouched since)."""
        output = self._output_of(out)
        if output is None:
            return set()
        known = output.keys
        unchanged = {name for name, key in keys.items() if known.get(name) == key}
        if self.from_disk:
            folder, stamps = output.folder, output.stamps
            unchanged = {name for name in unchanged if file_stamp(os.path.join(folder, name)) == stamps.get(name)}
        return unchanged

    def known_keys(self, out: Path) -> dict[str, str]:
        """The key of each page the output holds, as the last build rendered it."""
        output = self._output_of(out)
        return output.keys if output is not None else {}

    def copy_stamps(self, out: Path, copies: dict[str, Path], as_before: bool = False,
                    linked: frozenset[str] = frozenset()) -> dict[str, Stamp | None]:
        """The stamp of each copied file's source; with `as_before` (no copied file can have changed
        since the last build: the watcher saw only Markdown files change), the last build's, when it
        copied the same files: a rebuild then looks at none of thousands of picture variants. The
        sources of `linked` files are linked into the output, which changes their ctime: their stamps
        leave it out."""
        output = self._output_of(out) if as_before else None
        if output is not None and output.copies.keys() == copies.keys():
            return output.copies
        return {name: linked_stamp(source) if name in linked else file_stamp(source) for name, source in copies.items()}

    def unchanged_copies(self, out: Path, stamps: dict[str, Stamp | None]) -> set[str]:
        """The copied files the output holds as their sources (with these stamps) are now."""
        output = self._output_of(out)
        if output is None:
            return set()
        return {name for name, stamp in stamps.items() if stamp is not None and output.copies.get(name) == stamp}

    def search_cache(self) -> Path:
        """Where the search index's parts are kept: in the cache folder, or for a state without one
        in a folder of its own for as long as the state lives (the preview's builds share it)."""
        if self.cache is not None:
            return self.cache / "search"
        if self._scratch is None:
            self._scratch = tempfile.TemporaryDirectory(prefix="fitfocus-search-")
        return Path(self._scratch.name)

    def renderer(self, templates: Path) -> Renderer:
        """The renderer for `templates/`, kept from one build to the next (compiled templates)."""
        if self._renderer is None or self._renderer.templates != templates:
            compiled = _compiled_templates(self.cache / "compiled") if self.cache is not None else None
            self._renderer = Renderer(templates, compiled)
        return self._renderer

    # --- Writing -----------------------------------------------------------------------------------

    def spare(self, out: Path) -> Spare | None:
        """What the output's spare folder holds, when known."""
        output = self._output_of(out)
        if output is None or file_stamp(spare_of(out) / MARKER) != output.spare_marker:
            return None
        return output.spare

    def output_inodes(self, out: Path) -> dict[str, int]:
        """The inode of each file the output holds, as the last build left it."""
        output = self._output_of(out)
        return output.inodes if output is not None else {}

    def remember(self, out: Path, reader: CachedReader, keys: dict[str, str], inodes: dict[str, int],
                 copies: dict[str, Stamp | None], spare: Spare | None, last: LastBuild | None,
                 rendered: int, inputs: str | None = None) -> None:
        """Keep what this build did for the next one: in memory, and with `persist` in the cache folder."""
        folder = out.resolve()
        self.records = reader.entries
        stamps = {}
        previous = self.outputs.get(str(folder))
        if self.persist and previous is not None and previous.inodes is inodes:
            stamps = previous.stamps  # nothing was written: the files are the ones whose stamps were checked
        elif self.persist:
            base = str(folder)
            # The pages' only: copied files are judged by their sources' stamps (`copy_stamps`).
            stamps = {name: file_stamp(os.path.join(base, name)) or _NO_FILE for name in keys}
        output = Output(str(folder), file_stamp(folder / MARKER) or _NO_FILE, keys, inodes, stamps, copies, spare,
                        inputs, file_stamp(spare_of(folder) / MARKER) if spare is not None else None)
        self.outputs[str(folder)] = output
        self.last = last
        self.from_disk = False
        if rendered and self.persist and isinstance(self.bodies, KeyedBodies):
            self.bodies.cache.prune(keep=2 * len(keys) + 100)  # old versions of edited bodies, mostly
        if self.persist and self._records_cache is not None:
            self._records_cache.store(reader.entries)
            if output != previous:  # a build that changed nothing leaves the stored outputs as they are
                write_cache(self.cache, "outputs", self.outputs)
            if self._new_template_use:
                write_cache(self.cache, "templates", self.template_uses)
                self._new_template_use = False
            if self._new_template_check:
                write_cache(self.cache, "template-checks", self.template_checks)
                self._new_template_check = False

    def forget_output(self, out: Path) -> None:
        """The output is in an unknown state (a write failed): the next build writes it whole."""
        self.outputs.pop(str(out.resolve()), None)
        self.last = None

    def _output_of(self, out: Path) -> Output | None:
        """The output as the last build left it, if it still holds it."""
        output = self.outputs.get(str(out.resolve()))
        if output is None:
            return None
        if file_stamp(Path(output.folder) / MARKER) != output.marker:
            return None  # another build (say one with --no-cache) wrote there since
        return output


def _inputs(fingerprints: Fingerprints, library: Library, templates: TemplateFiles) -> str:
    return digest(fingerprints.of(library).hex(), *(part for pair in templates for part in pair))


def _edited_posts(reader: CachedReader) -> dict[str, tuple[Post, str]] | None:
    """The posts whose files `reader` read again since the last build (their bytes changed) without
    changing their interface, by slug: the new record, and the key of the file the last build read.
    None when a file was added or removed, or another file or a post's interface changed."""
    previous, entries = reader.previous, reader.entries
    if previous.keys() != entries.keys():
        return None
    edited = {}
    for path, entry in entries.items():
        before = previous[path]
        if entry is before or entry.key == before.key:
            continue
        record, was = entry.read.record, before.read.record
        if (not path.startswith("content/posts/") or not isinstance(record, Post) or not isinstance(was, Post)
                or post_interface(record) != post_interface(was)):
            return None
        edited[record.slug] = (record, before.key)
    return edited


def _compiled_templates(folder: Path) -> jinja2.BytecodeCache | None:
    """Compiled templates kept in `folder`, named for the engine (its settings shape the code)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    if not os.access(folder, os.W_OK):
        return None
    return jinja2.FileSystemBytecodeCache(str(folder), pattern=f"{engine_fingerprint()[:16]}-%s.cache")

