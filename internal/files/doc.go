// Package files is file download (文件下载), the third delivery method of
// Art. 22. A provider's sharing office uploads files for one of its
// published catalog entries that offers file download; the bytes are
// streamed to the node's files directory (never held whole in memory) while
// their SM3 digest and size are computed, synced and renamed into place
// before the metadata row is written, so an acknowledged upload survives a
// restart and a failed one leaves nothing behind.
//
// A consumer's application system holding an active file-download grant of
// the entry asks, over the signed gateway, for a download link: an id bound
// to the grant, the system, the file and an expiry. The same system then
// downloads the file through the link. Each copy carries a watermark naming
// the consumer department, the grant and the link (in the ZIP comment of
// ZIP-based formats, as a trailing line of text formats, in a response
// header otherwise), so a leaked copy can be traced. Every link request and
// download, granted or refused, appends an event; the first complete
// download closes the provider's delivery obligation.
//
// A person of the consumer's sharing office may take the same files in the
// console (office.go): the link is then bound to the person, the copy's
// watermark names the person instead of a system, and the records carry the
// person as actor (file.link, file.download_start, file.download). taker.go
// says what differs between the two takers; the checks are the same code.
//
// The rules are plain Go over a Tx interface; the HTTP layer only streams
// bodies and translates.
package files
