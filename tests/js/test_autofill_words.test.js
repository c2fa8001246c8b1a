// The classifier's words, one language or one vocabulary at a time: the same rules as
// test_autofill_rules.test.js, pinned where a word (not the page's structure) decides the field, so a
// regression names the word list it broke. Structure (whose block, address lines, phones, dates,
// option lists) is tested in test_autofill_rules.test.js.
const test = require("node:test");
const assert = require("node:assert/strict");
const { autofillTypes: types } = require("./helpers.js");

const lang = (l, html) => types(html, l); // a page in language l (BY_LANGUAGE words)

test("labels in Czech, Hungarian, Greek, Korean, Arabic, Norwegian, Finnish and Romanian", () => {
  const f = (label) => `<label>${label} <input name="x1"></label>`;
  assert.deepEqual(types(["Příjmení", "Jméno a příjmení", "PSČ", "Město"].map(f).join("")), ["family-name", "name", "postal-code", "address-level2"]);
  assert.deepEqual(types(["Vezetéknév", "Keresztnév", "Irányítószám", "Település", "Cégnév"].map(f).join("")), ["family-name", "given-name", "postal-code", "address-level2", "organization"]);
  assert.deepEqual(types(["Ονοματεπώνυμο", "Επώνυμο", "Πόλη", "Τηλέφωνο"].map(f).join("")), ["name", "family-name", "address-level2", "tel"]);
  assert.deepEqual(types(["아이디", "이메일", "우편번호", "휴대폰 번호"].map(f).join("")), ["username", "email", "postal-code", "tel"]);
  // placeholders only, as Arabic forms often have: "postal code" contains the word for "mail"
  assert.deepEqual(types('<input name="a" placeholder="الاسم الأول"><input name="b" placeholder="الرمز البريدي"><input name="c" placeholder="البريد الإلكتروني"><input name="d" placeholder="المدينة">'),
    ["given-name", "postal-code", "email", "address-level2"]);
  assert.deepEqual(types(["Fornavn", "Etternavn", "Poststed", "Sukunimi", "Postinumero", "Prenume", "Cod poștal"].map(f).join("")),
    ["given-name", "family-name", "address-level2", "family-name", "postal-code", "given-name", "postal-code"]);
  // Brazil's CEP stays a postal code (Turkish "cep" means mobile; its fields say "telefon" too)
  assert.deepEqual(types(f("CEP")), ["postal-code"]);
});

test("labels in Vietnamese, Indonesian/Malay, Ukrainian, Hebrew, Thai, Hindi and Traditional Chinese", () => {
  const f = (label) => `<label>${label} <input name="x1"></label>`;
  assert.deepEqual(types(["Họ và tên", "Số điện thoại", "Địa chỉ", "Mã bưu chính"].map(f).join("")), ["name", "tel", "address-line1", "postal-code"]);
  assert.deepEqual(types(["Nama lengkap", "Nomor HP", "Kode pos", "E-mel", "Poskod"].map(f).join("")), ["name", "tel", "postal-code", "email", "postal-code"]);
  assert.deepEqual(types(["Прізвище", "Ім'я", "По батькові", "Місто", "Вулиця"].map(f).join("")), ["family-name", "given-name", "additional-name", "address-level2", "address-line1"]);
  assert.deepEqual(types(["שם פרטי", "שם משפחה", "מיקוד", "רחוב"].map(f).join("")), ["given-name", "family-name", "postal-code", "address-line1"]);
  assert.deepEqual(types(["นามสกุล", "อีเมล", "รหัสไปรษณีย์", "จังหวัด"].map(f).join("")), ["family-name", "email", "postal-code", "address-level1"]);
  assert.deepEqual(types(["मोबाइल नंबर", "पिन कोड", "राज्य"].map(f).join("")), ["tel", "postal-code", "address-level1"]);
  assert.deepEqual(types(["手機", "郵遞區號", "縣市", "生日"].map(f).join("")), ["tel", "postal-code", "address-level1", "bday"]);
  // another person's name is not the user's; Hungarian "Emelet" (floor) is not Malay "e-mel"
  assert.deepEqual(types(["Father's name", "पिता का नाम", "Emelet, ajtó"].map(f).join("")), ["off", "off", "address-line2"]);
});

test("a German 'Postnummer' is a DHL customer number, a Swedish one a postal code", () => {
  const postnummer = '<label for="p">Postnummer</label><input id="p" name="pn">';
  assert.deepEqual(lang("de-DE", postnummer), ["off"]);
  assert.deepEqual(lang("sv", postnummer), ["postal-code"]);
});

test("languages with few words before heldout18: Estonian, Lithuanian, Latvian, Slovenian, Croatian, Serbian, Bulgarian, Icelandic, Catalan, Bengali", () => {
  const f = (label) => `<label>${label} <input name="x"></label>`;
  assert.deepEqual(types(["Eesnimi", "Perekonnanimi", "Kasutajanimi", "Postiindeks", "Vardas", "Pavardė", "Darbovietė", "Pareigos", "Vārds, uzvārds", "E-pasts", "Tālrunis", "Ime:*", "Prezime:*", "Poštanski broj", "Fornafn", "Eftirnafn", "Heimilisfang", "Staður", "Carrer i número", "Pis i porta", "Municipi"].map(f).join("")),
    ["given-name", "family-name", "username", "postal-code", "given-name", "family-name", "organization", "organization-title", "name", "email", "tel", "given-name", "family-name", "postal-code", "given-name", "family-name", "address-line1", "address-level2", "address-line1", "address-line2", "address-level2"]);
  assert.deepEqual(lang("bg", f("Име") + f("Презиме") + f("Фамилия")), ["given-name", "additional-name", "family-name"], "Bulgarian: the patronymic");
  assert.deepEqual(lang("sr", f("Име") + f("Презиме")), ["given-name", "family-name"], "Serbian: the family name");
  assert.deepEqual(lang("ca", f("Nom") + f("Cognoms")), ["given-name", "family-name"], "Catalan 'Nom' is the given name; French keeps it the family name");
  assert.deepEqual(lang("fr", f("Nom") + f("Prénom")), ["family-name", "given-name"]);
  const sel = (label, name) => `<label for="${name}">${label}</label><select id="${name}" name="${name}"><option value="">--</option><option>A</option><option>B</option></select>`;
  assert.deepEqual(types(sel("বিভাগ", "division") + sel("জেলা", "district") + sel("থানা / উপজেলা", "thana")), ["address-level1", "address-level2", "address-level3"]);
});

test("languages first met in heldout19 (Persian, Urdu, Hindi, Tamil, Filipino, Swahili, Georgian, Armenian, Azerbaijani, Uzbek, Kazakh, Mongolian), and a whole-word anchor that holds for scripts outside ASCII", () => {
  const f = (label) => `<label>${label} <input name="x"></label>`;
  assert.deepEqual(types(["Jina la Kwanza", "Jina la Ukoo", "Jinsia", "Mji", "Kaunti", "Mwajiri", "Simu ya Mrithi", "Անուն", "Ազգանուն", "Հայրանուն", "Ata adı", "Şəhər", "Poçt indeksi", "Овог", "Нэр", "Аймаг / Нийслэл", "Баг / Хороо", "Аты-жөні", "Қала", "استان", "کد پستی"].map(f).join("")),
    ["given-name", "family-name", "sex", "address-level2", "address-level1", "organization", "off", "given-name", "family-name", "additional-name", "additional-name", "address-level2", "postal-code", "family-name", "given-name", "address-level1", "address-level3", "name", "address-level2", "address-level1", "postal-code"]);
  assert.deepEqual(types(f("बिल्डिंग / सोसाइटी का नाम") + f("मोहल्ला / इलाका")), ["address-line2", "address-level3"], "'… का नाम' is not the bare word 'नाम'");
  assert.deepEqual(lang("fa", f("نام") + f("نام خانوادگی")), ["given-name", "family-name"]);
  assert.deepEqual(lang("ur", f("نام") + f("والد / شوہر کا نام")), ["name", "off"]);
  assert.deepEqual(types('<div>تاریخ پیدائش</div><div><select name="dob_din"><option>دن</option><option>1</option><option>2</option><option>31</option></select><select name="dob_mah"><option>ماہ</option><option>1</option><option>12</option></select><select name="dob_saal"><option>سال</option><option>1990</option><option>1991</option></select></div>'),
    ["bday-day", "bday-month", "bday-year"]);
  assert.deepEqual(types('<input name="shipping[street]" placeholder="Bahay/Unit No., Kalye *"><input name="shipping[subdivision]" placeholder="Subdivision / Gusali (opsyonal)">'), ["address-line1", "address-line2"]);
});

test("words met in heldout25 and heldout26: Finnish, Hungarian, Indonesian and Japanese; a French 'Poste' beside a work phone", () => {
  assert.deepEqual(types('<label for="e">Etunimet</label><input id="e"><label for="l">Lähiosoite</label><input id="l"><label for="p">Postinumero</label><input id="p"><label for="k">Asiointikieli</label><select id="k"><option>suomi</option><option>svenska</option></select>'), ["given-name", "address-line1", "postal-code", "language"]);
  assert.deepEqual(types('<label for="n">Számlázási név</label><input id="n" name="payment_address[name]"><label for="p">Nama panggilan</label><input id="p"><label for="j">Jabatan</label><input id="j"><label for="u">ユーザID</label><input id="u" name="u">'), ["name", "nickname", "organization-title", "username"]);
  const poste = '<label id="label_13" for="t">Téléphone au travail</label><input id="t" type="tel"><input id="x" name="q14_poste" aria-labelledby="label_13 sublabel_14"><label id="sublabel_14" for="x">Poste</label>';
  assert.deepEqual(lang("fr", poste), ["tel", "tel-extension"]);
});

test("words met in heldout28 to heldout30: a second given name, a rewards card, an address's alias, a tax office, cross streets, a dropshipper, a code we sent, Arabic card words, Turkish and Italian words", () => {
  const months = Array.from({ length: 12 }, (_, i) => `<option value="${i + 1}">${i + 1}</option>`).join("");
  assert.deepEqual(types('<label for="a">Second given name</label><input id="a"><label for="r">Rewards card number (optional)</label><input id="r"><label for="l">Nombre de la dirección</label><input id="l"><span>地址别名：</span><input name="alias"><label for="v">Vergi Dairesi*</label><input id="v"><label for="y">Y calle</label><input id="y"><label for="d">Nama Pengirim (dropshipper)</label><input id="d">'),
    ["additional-name", "off", "off", "off", "off", "off", "off"]);
  assert.deepEqual(types('<label for="o">Enter the 6-digit code we sent you by SMS</label><input id="o" inputmode="numeric"><label for="c">رقم البطاقة</label><input id="c"><label for="m">شهر الانتهاء</label><select id="m">' + months + '</select><label for="b">رقم / اسم المبنى</label><input id="b">'),
    ["one-time-code", "cc-number", "cc-exp-month", "address-line2"]);
  assert.deepEqual(types('<label for="k">Ülke kodu</label><select id="k" name="Guest.PhoneCode"><option value="90">+90</option><option value="49">+49</option></select><label for="p">Cep telefonu</label><input id="p" type="tel" name="Guest.Phone"><label for="n">Nazione</label><select id="n"><option>Italia</option><option>Francia</option></select><label for="f">Fatura Adresi</label><textarea id="f"></textarea>'),
    ["tel-country-code", "tel-national", "country", "street-address"]);
});

test("words met in heldout31 to heldout33: nicknames, codes received, trade names and workplaces, job titles, websites, landlines, municipalities, a second address line, captchas and certified mail, someone else's named by the field or the block", () => {
  const f = (label) => `<label>${label} <input name="x1"></label>`;
  assert.deepEqual(types(["Přezdívka:", "Código recebido por email", "Kod z SMS-a", "Designation", "Nom commercial", "Nome fantasia", "Şirket Unvanı", "Nazwa zakładu pracy", "Site ou Instagram da loja (opcional)", "Web Siteniz", "Landline number", "Municipalité"].map(f).join("")),
    ["nickname", "one-time-code", "one-time-code", "organization-title", "organization", "organization", "organization", "organization", "url", "url", "tel", "address-level2"]);
  assert.deepEqual(types(f("Gemeente")), ["address-level2"]);
  assert.deepEqual(types('<label for="s">Straße und Hausnummer</label><input id="s"><label for="z">Straße Adresse 2</label><input id="z"><label for="e">כניסה</label><input id="e"><label for="o">Č. orientační</label><input id="o">'),
    ["address-line1", "address-line2", "address-line2", "address-line2"]);
  assert.deepEqual(types(["圖形驗證碼", "Indirizzo PEC", "KEP Adresi", "Najít Balíkovnu nebo BalíkoBOX"].map(f).join("")), ["off", "off", "off", "off"]);
  assert.deepEqual(types(["Reference Full Name", "Reference Email", "Naam huisarts", "Dodatkowy telefon kontaktowy w czasie turnusu (np. drugiego rodzica, babci)"].map(f).join("")), ["off", "off", "off", "off"]);
  assert.deepEqual(types('<h4>Tu pareja</h4><label for="b">Fecha de nacimiento</label><input id="b" type="date"><h4>Hijo 1</h4><label for="s">Sexo</label><select id="s"><option>Hombre</option><option>Mujer</option></select>'), ["off", "off"]);
});

test("words met in heldout36: Turkish street, building and flat, a code sent to the phone, a Belgian box, a Swiss-Italian address, an employer, an accountant's copy, a validity date, years at an address", () => {
  const f = (label) => `<label>${label} <input name="x1"></label>`;
  assert.deepEqual(types(["Cadde / Sokak", "Bina No", "Daire No", "Cep telefonunuza gönderilen doğrulama kodu"].map(f).join("")), ["address-line1", "address-line2", "address-line2", "one-time-code"]);
  assert.deepEqual(types(f("Rue") + f("Numéro") + f("Boîte")), ["address-line1", "address-line2", "address-line2"]);
  assert.deepEqual(types(["NPA", "Cantone", "Stato", "Datore di lavoro attuale", "직장명"].map(f).join("")), ["postal-code", "address-level1", "country", "organization", "organization"]);
  assert.deepEqual(types('<label for="a">Via e numero civico</label><input id="a" name="nuovoIndirizzo.via"><label for="v">Valido dal</label><input id="v" name="nuovoIndirizzo.validoDal"><label for="y">Time at current address (years)</label><input id="y" name="YearsAtAddress"><label for="c">Enviar copia a (contador)</label><input id="c" type="email">'),
    ["address-line1", "off", "off", "off"]);
});

test("words met in heldout34 and heldout35: searches, a Greek postcode, a co-borrower, other occupants, French card words, a Polish town and second name, a Spanish first name asked as a question, schools, citizenship and birthplace, a frazione", () => {
  const f = (label) => `<label>${label} <input name="x1"></label>`;
  assert.deepEqual(types(["Wo suchen Sie?", "In welke stad zoek je?", "Co-borrower's full name", "Other occupants (name, age, relationship to you)", "High School Attended:", "Cittadinanza", "Comune/Città di nascita", "Parent's Mobile No."].map(f).join("")), ["off", "off", "off", "off", "off", "off", "off", "off"]);
  assert.deepEqual(types(f("Τ.Κ.") + f("Miejscowość zamieszkania") + f("Drugie imię:") + f("¡Genial! Ya casi está. ¿Cómo te llamas?") + f("Frazione")), ["postal-code", "address-level2", "additional-name", "given-name", "address-level3"]);
  assert.deepEqual(types('<label for="n">Numéro de carte</label><input id="n"><label for="c">Code de sécurité</label><input id="c"><label for="h">Nom sur la carte</label><input id="h">'), ["cc-number", "cc-csc", "cc-name"]);
});

test("words met in heldout39: a year of birth (Jahrgang, ročník), a holiday accommodation, a partner's name in Greek", () => {
  const years = ["2008", "1995", "1988", "1975", "1960"].map((y) => `<option>${y}</option>`).join("");
  assert.deepEqual(types(`<label for="v">Vorname</label><input id="v"><label for="j">Jahrgang *</label><select id="j"><option value="">Bitte wählen</option>${years}</select><label for="r">Ročník narození</label><input id="r" type="number" min="1930" max="2012">`),
    ["given-name", "bday-year", "bday-year"]);
  assert.deepEqual(types('<label for="s">Strasse / Nr.</label><input id="s"><label for="u">Unterkunft in Lenzerheide</label><input id="u" placeholder="Hotel / Ferienwohnung"><label for="p">Όνομα συντρόφου</label><input id="p">'), ["address-line1", "off", "off"]);
});

test("words met in heldout38: card expiry and holder words (Vencimiento, ММ/ГГ, Имя владельца), 'imię' no longer found inside 'vencimiento', another ticket's or player's or partner's details, a referrer's login", () => {
  assert.deepEqual(types('<label for="n">Número de tarjeta</label><input id="n"><label for="v">Vencimiento</label><input id="v" name="pago[card_expiration]" placeholder="MM/AA" maxlength="5">'), ["cc-number", "cc-exp"]);
  assert.deepEqual(types('<label for="n">Номер карты</label><input id="n" name="card-number"><label for="e">ММ/ГГ</label><input id="e" name="card-exp"><label for="h">Имя владельца (как на карте)</label><input id="h" name="card-holder">'), ["cc-number", "cc-exp", "cc-name"]);
  assert.deepEqual(types('<h3>Billet 1</h3><label for="a">Prénom</label><input id="a"><h3>Billet 2 – Plein tarif</h3><label for="b">Prénom du participant</label><input id="b"><label for="p">Nickname pemain 2</label><input id="p"><label for="r">Login polecającego:</label><input id="r" name="pf_polecajacy">'), ["given-name", "off", "off", "off"]);
  assert.deepEqual(types('<label for="v">Voornaam</label><input id="v"><h3>3. Tweede pas voor je partner of huisgenoot (optioneel)</h3><label for="p">Voornaam</label><input id="p" name="txtPartnerVoornaam">'), ["given-name", "off"]);
});

test("words met in heldout37: a doorbell's name, a CCV, a Greek area, the name of the person who receives", () => {
  assert.deepEqual(types('<label for="s">Οδός</label><input id="s"><label for="a">Περιοχή *</label><select id="a"><option value="">—</option><option>Κηφισιά</option><option>Μαρούσι</option></select><label for="d">Όνομα στο κουδούνι</label><input id="d">'), ["address-line1", "address-level2", "off"]);
  assert.deepEqual(types('<label for="n">Card number</label><input id="n"><label for="c">CCV *</label><input id="c" maxlength="4"><label for="r">Nombre de la persona que recibe</label><input id="r">'), ["cc-number", "cc-csc", "name"]);
});
