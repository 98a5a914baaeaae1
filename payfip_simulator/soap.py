"""The SOAP messages of PayFiP's « PaiementSecuriseService », read and written as its WSDL says.

The request's elements are unqualified under the operation element (the service's
schemas have no `elementFormDefault`): `<ns:creerPaiementSecurise><arg0><numcli>…`.
Answers mirror it: `<ns:creerPaiementSecuriseResponse><return><idOp>…`, and functional
errors are SOAP 1.1 faults whose detail is a `FonctionnelleErreur` (code, descriptif,
libelle), the form eopayment turns into a `PayFiPError(code, …)`.
"""

from dataclasses import dataclass

from lxml import etree

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
SERVICE_NS = (
    "http://securite.service.tpa.cp.finances.gouv.fr/services/mas_securite/"
    "contrat_paiement_securise/PaiementSecuriseService"
)
_NS2 = {"ns2": SERVICE_NS}
FONCTIONNELLE_ERREUR = "fr.gouv.finances.cp.tpa.webservice.exceptions.FonctionnelleErreur"

# What each operation reads from its `arg0`.
OPERATIONS = {
    "creerPaiementSecurise": (
        "exer",
        "mel",
        "montant",
        "numcli",
        "objet",
        "refdet",
        "saisie",
        "urlnotif",
        "urlredirect",
    ),
    "recupererDetailPaiementSecurise": ("idOp",),
    "recupererDetailClient": ("numCli",),
}

# Never fetch anything named by a request, never expand its entities.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class MalformedRequest(Exception):
    """Not a SOAP request for one of the service's operations."""


@dataclass(frozen=True)
class Request:
    operation: str
    fields: dict[str, str | None]


def parse_request(body: bytes) -> Request:
    try:
        envelope = etree.fromstring(body, parser=_PARSER)  # noqa: S320 (safe parser above)
    except etree.XMLSyntaxError as error:
        raise MalformedRequest(f"XML illisible : {error}") from None
    if envelope.tag != f"{{{SOAP_ENV}}}Envelope":
        raise MalformedRequest("Enveloppe SOAP 1.1 attendue.")
    body_element = envelope.find(f"{{{SOAP_ENV}}}Body")
    children = [] if body_element is None else _elements(body_element)
    if len(children) != 1:
        raise MalformedRequest("Le corps SOAP doit contenir une seule opération.")
    call = children[0]
    name = etree.QName(call)
    if name.namespace != SERVICE_NS or name.localname not in OPERATIONS:
        raise MalformedRequest(f"Opération inconnue : {name.text}")
    arg0 = next((child for child in _elements(call) if _local(child) == "arg0"), None)
    given = {} if arg0 is None else {_local(child): child.text or "" for child in _elements(arg0)}
    return Request(
        operation=name.localname,
        fields={field: given.get(field) for field in OPERATIONS[name.localname]},
    )


def response(operation: str, values: dict[str, str]) -> bytes:
    envelope, body = _envelope()
    answer = etree.SubElement(
        body, f"{{{SERVICE_NS}}}{operation}Response", nsmap={"ns2": SERVICE_NS}
    )
    returned = etree.SubElement(answer, "return")
    for name, value in values.items():
        etree.SubElement(returned, name).text = value
    return _serialise(envelope)


def functional_fault(code: str, descriptif: str, libelle: str) -> bytes:
    envelope, body = _envelope()
    fault = _fault(body, "S:Server", FONCTIONNELLE_ERREUR)
    detail = etree.SubElement(fault, "detail")
    error = etree.SubElement(
        detail, f"{{{SERVICE_NS}}}FonctionnelleErreur", nsmap={"ns2": SERVICE_NS}
    )
    for name, value in (
        ("code", code),
        ("descriptif", descriptif),
        ("libelle", libelle),
        ("message", descriptif),
        ("severite", "2"),
    ):
        etree.SubElement(error, name).text = value
    return _serialise(envelope)


def client_fault(message: str) -> bytes:
    """A request the service cannot read at all (not a functional error)."""
    envelope, body = _envelope()
    _fault(body, "S:Client", message)
    return _serialise(envelope)


def _envelope() -> tuple[etree._Element, etree._Element]:
    envelope = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"S": SOAP_ENV})
    return envelope, etree.SubElement(envelope, f"{{{SOAP_ENV}}}Body")


def _fault(body: etree._Element, code: str, message: str) -> etree._Element:
    fault = etree.SubElement(body, f"{{{SOAP_ENV}}}Fault")
    etree.SubElement(fault, "faultcode").text = code
    etree.SubElement(fault, "faultstring").text = message
    return fault


def _serialise(envelope: etree._Element) -> bytes:
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")


def _elements(parent: etree._Element) -> list[etree._Element]:
    return [child for child in parent if isinstance(child.tag, str)]


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname
